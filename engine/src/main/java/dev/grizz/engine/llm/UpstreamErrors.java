package dev.grizz.engine.llm;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Maps a vendor's HTTP failure to our codes, in one place for every adapter: 429 and 5xx (and 408,
 * 409) are retryable on another provider, authentication and request errors are not.
 */
public final class UpstreamErrors {

  private UpstreamErrors() {}

  public static LlmOutcome.Failed fromStatus(
      int status, @Nullable String retryAfter, @Nullable String vendorCode, String message) {
    String text = (vendorCode == null ? "" : vendorCode + " ") + message;
    String lower = text.toLowerCase(Locale.ROOT);
    Duration wait = parseRetryAfter(retryAfter);
    if (status == 401 || status == 403) {
      return new LlmOutcome.Failed(ErrorCode.AUTH_FAILED, message, false, Usage.UNKNOWN);
    }
    if (status == 429) {
      return new LlmOutcome.Failed(ErrorCode.RATE_LIMITED, message, true, wait, Usage.UNKNOWN);
    }
    if (status >= 500 || status == 408 || status == 409) {
      return new LlmOutcome.Failed(
          ErrorCode.UPSTREAM_UNAVAILABLE, message, true, wait, Usage.UNKNOWN);
    }
    if (lower.contains("context_length")
        || lower.contains("context length")
        || lower.contains("too many tokens")
        || lower.contains("prompt is too long")) {
      return new LlmOutcome.Failed(ErrorCode.CONTEXT_TOO_LONG, message, false, Usage.UNKNOWN);
    }
    if (lower.contains("content_filter")
        || lower.contains("content policy")
        || lower.contains("content management policy")) {
      return new LlmOutcome.Failed(ErrorCode.CONTENT_FILTERED, message, false, Usage.UNKNOWN);
    }
    return new LlmOutcome.Failed(ErrorCode.INVALID_REQUEST, message, false, Usage.UNKNOWN);
  }

  /** A connection that failed or broke: retryable until tokens have streamed. */
  public static LlmOutcome.Failed unreachable(String message, Usage usage) {
    return new LlmOutcome.Failed(ErrorCode.UPSTREAM_UNAVAILABLE, message, true, usage);
  }

  /**
   * An I/O failure (an SDK's, or our own HTTP client's), or a response that could not be read, with
   * what lay under its message: under an SDK's generic "Request failed", the refused connection or
   * timeout is what an operator needs to see.
   */
  public static LlmOutcome.Failed unreachable(Exception e, Usage usage) {
    StringBuilder message =
        new StringBuilder(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      message.append(": ").append(cause.getClass().getSimpleName());
      if (cause.getMessage() != null) {
        message.append(' ').append(cause.getMessage());
      }
    }
    return unreachable(message.toString(), usage);
  }

  /** Retry-After in seconds (the HTTP-date form is rare from these vendors and is ignored). */
  static @Nullable Duration parseRetryAfter(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(value.strip());
      return seconds >= 0 ? Duration.ofMillis((long) (seconds * 1000)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
