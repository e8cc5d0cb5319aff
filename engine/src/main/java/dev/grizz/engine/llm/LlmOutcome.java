package dev.grizz.engine.llm;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** How a provider's stream ended. */
public sealed interface LlmOutcome {

  /** Token counts as far as they are known. */
  Usage usage();

  /**
   * The model finished: done, cut by the token limit, or waiting for tool results. {@code
   * stopSequence} is the stop sequence that ended it, when the vendor says which (Anthropic does;
   * OpenAI does not).
   */
  record Completed(FinishReason reason, Usage usage, @Nullable String stopSequence)
      implements LlmOutcome {

    public Completed(FinishReason reason, Usage usage) {
      this(reason, usage, null);
    }
  }

  /** The caller cancelled; what streamed so far stands. */
  record Cancelled(Usage usage) implements LlmOutcome {}

  /**
   * The upstream failed. {@code code} is one of {@link ErrorCode}'s; {@code retryable} says whether
   * another attempt (or another provider) may succeed; {@code retryAfter} is the vendor's
   * Retry-After when it sent one.
   */
  record Failed(
      String code, String message, boolean retryable, @Nullable Duration retryAfter, Usage usage)
      implements LlmOutcome {

    public Failed(String code, String message, boolean retryable, Usage usage) {
      this(code, message, retryable, null, usage);
    }
  }
}
