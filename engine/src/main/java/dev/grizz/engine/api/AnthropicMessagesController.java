package dev.grizz.engine.api;

import dev.grizz.engine.chat.DirectCompletions;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.TokenCounter;
import dev.grizz.engine.llm.UnknownModelException;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.security.RateLimits;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Anthropic's Messages API, so Claude Code and Anthropic's SDKs work against Grizz by changing only
 * the base URL and key (sent as {@code x-api-key}, as they do; any {@code anthropic-version} is
 * taken). A request runs as a {@code /v1/chat/completions} one does ({@link DirectCompletions}: the
 * same budgets, moderation, routing and usage rows), on whichever provider the model routes to.
 * Errors come in Anthropic's shape ({@link dev.grizz.engine.security.FilterErrors#anthropicBody}).
 */
@RestController
class AnthropicMessagesController {

  private final DirectCompletions completions;
  private final CurrentUser user;
  private final RateLimits rateLimits;
  private final TokenCounter tokens;
  private final JsonMapper json;

  AnthropicMessagesController(
      DirectCompletions completions,
      CurrentUser user,
      RateLimits rateLimits,
      TokenCounter tokens,
      JsonMapper json) {
    this.completions = completions;
    this.user = user;
    this.rateLimits = rateLimits;
    this.tokens = tokens;
    this.json = json;
  }

  @PostMapping(path = "/v1/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Nullable ResponseEntity<String> messages(
      @RequestBody JsonNode body, HttpServletResponse response) {
    AnthropicRequests.Parsed parsed = AnthropicRequests.parse(body);
    rateLimits.message(user.caller()).applyTo(response);
    AnthropicEvents events =
        new AnthropicEvents(json, "msg_" + UUID.randomUUID().toString().replace("-", ""));
    LlmRequest request = parsed.request();
    if (!parsed.stream()) {
      Completion completion =
          completions.complete(
              user.id(),
              user.caller().apiKeyId(),
              request,
              DeltaSink.textOnly(text -> {}),
              new CancelSignal());
      String stop = AnthropicEvents.stopReason(completion.outcome());
      if (stop == null) {
        throw failure(completion);
      }
      return ResponseEntity.ok()
          .contentType(MediaType.APPLICATION_JSON)
          .body(events.whole(label(completion), completion, stop));
    }
    CancelSignal cancel = new CancelSignal();
    AnthropicStream stream = new AnthropicStream(response, events, cancel, tokens.count(request));
    Completion completion =
        completions.complete(user.id(), user.caller().apiKeyId(), request, stream, cancel);
    String stop = AnthropicEvents.stopReason(completion.outcome());
    if (!stream.started() && stop == null) {
      throw failure(completion);
    }
    UpstreamFailedException failed = stop == null ? failure(completion) : null;
    stream.finish(
        stop,
        completion.usage(),
        failed == null ? 200 : failed.status.value(),
        failed == null ? "" : failed.getMessage());
    return null;
  }

  private static String label(Completion completion) {
    return completion.provider() + "/" + completion.model();
  }

  private static UpstreamFailedException failure(Completion completion) {
    LlmOutcome.Failed failed = (LlmOutcome.Failed) completion.outcome();
    HttpStatus status =
        switch (failed.code()) {
          case ErrorCode.RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
          case ErrorCode.CONTEXT_TOO_LONG, ErrorCode.INVALID_REQUEST -> HttpStatus.BAD_REQUEST;
          case ErrorCode.AUTH_FAILED -> HttpStatus.BAD_GATEWAY;
          default -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    return new UpstreamFailedException(status, failed.code(), failed.message());
  }

  /** Every candidate failed (before any piece, or at all when not streaming). */
  static final class UpstreamFailedException extends RuntimeException {
    final HttpStatus status;
    final String code;

    UpstreamFailedException(HttpStatus status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /**
   * This API's own refusals; the rest is {@link ApiErrors}'s, and {@link OpenAiErrorShape} gives
   * every one Anthropic's shape on this path.
   */
  @RestControllerAdvice(assignableTypes = AnthropicMessagesController.class)
  @Order(Ordered.HIGHEST_PRECEDENCE)
  static class Errors {

    @ExceptionHandler
    ResponseEntity<ApiError> invalid(AnthropicRequests.InvalidException e) {
      return ApiErrors.error(HttpStatus.BAD_REQUEST, "invalid_request", e.getMessage());
    }

    /** A model no provider serves is Anthropic's 404 {@code not_found_error}. */
    @ExceptionHandler
    ResponseEntity<ApiError> unknownModel(UnknownModelException e) {
      return ApiErrors.error(
          HttpStatus.NOT_FOUND, "unknown_model", "model: " + e.model() + " is not served here");
    }

    @ExceptionHandler
    ResponseEntity<ApiError> upstream(UpstreamFailedException e) {
      return ApiErrors.error(e.status, e.code, e.getMessage());
    }
  }
}
