package dev.grizz.engine.api;

import dev.grizz.engine.config.RejectedInputException;
import dev.grizz.engine.conversation.ConversationNotFoundException;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.ConversationTooLongException;
import dev.grizz.engine.event.EventId;
import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.llm.InvalidRequestException;
import dev.grizz.engine.llm.UnknownModelException;
import dev.grizz.engine.llm.UnsupportedFeatureException;
import dev.grizz.engine.moderation.ModerationBlockedException;
import dev.grizz.engine.responses.ResponsesErrors;
import dev.grizz.engine.security.AuthException;
import dev.grizz.engine.security.BodyTooLargeException;
import dev.grizz.engine.security.NulCharacterException;
import dev.grizz.engine.security.RateLimitedException;
import dev.grizz.engine.security.RateLimits;
import dev.grizz.engine.usage.BudgetExceededException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one error catalog: every exception the engine lets reach a caller is mapped here, once, to
 * its {@link Problem} (status, stable code, words, field at fault, details, headers). Bad input is
 * a 4xx that says what to change; only a bug is a 500, and it shows the trace id, never a stack
 * trace. The REST advice ({@link ApiErrors}), the {@code /v1} shapes ({@link OpenAiErrorShape}:
 * OpenAI's and Anthropic's) and the WebSocket's error frames only render what this says.
 */
final class ErrorCatalog {

  private static final Logger log = LoggerFactory.getLogger(ErrorCatalog.class);

  private static final Map<Integer, String> CODES_BY_STATUS =
      Map.of(
          400, "invalid_request",
          404, "not_found",
          405, "method_not_allowed",
          406, "not_acceptable",
          413, "payload_too_large",
          415, "unsupported_media_type");

  private static final String INTERNAL =
      "Something went wrong on our side; quote the trace id when you report it.";

  private ErrorCatalog() {}

  static Problem of(Throwable e) {
    return switch (e) {
      case ConversationNotFoundException _ ->
          new Problem(HttpStatus.NOT_FOUND, "not_found", "No such conversation.");
      case NotFoundException notFound ->
          new Problem(HttpStatus.NOT_FOUND, "not_found", notFound.getMessage());
      case AuthException auth -> auth(auth);
      case ModerationBlockedException blocked ->
          new Problem(HttpStatus.BAD_REQUEST, "moderation_blocked", blocked.getMessage())
              .withDetails(blocked.details());
      case RateLimitedException limited ->
          new Problem(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", limited.getMessage())
              .withDetails(limited.allowance().details())
              .withHeaders(rateLimitHeaders(limited.allowance()));
      case ConversationTooLongException tooLong ->
          new Problem(HttpStatus.CONFLICT, "conversation_too_long", tooLong.getMessage())
              .withDetails(Map.of("max_messages", tooLong.maxTurns()));
      case dev.grizz.engine.agent.ApprovalNotPendingException late ->
          new Problem(HttpStatus.CONFLICT, "approval_not_pending", late.getMessage());
      case dev.grizz.engine.conversation.StepBusyException busy ->
          new Problem(HttpStatus.CONFLICT, "step_running", busy.getMessage());
      // A message, a memory, an MCP server or a step refused as sent, by its stable code.
      case RejectedInputException rejected ->
          new Problem(HttpStatus.BAD_REQUEST, rejected.code(), rejected.getMessage())
              .withParam(rejected.param());
      case AdminModerationController.InvalidAdminRequestException bad ->
          new Problem(HttpStatus.BAD_REQUEST, "invalid_request", bad.getMessage());
      case UsageController.InvalidUsageQueryException bad ->
          new Problem(HttpStatus.BAD_REQUEST, "invalid_request", bad.getMessage());
      case dev.grizz.engine.memory.MemoryNotFoundException missing ->
          new Problem(HttpStatus.NOT_FOUND, "not_found", missing.getMessage());
      case BudgetExceededException budget -> budget(budget);
      case UnknownModelException unknown ->
          new Problem(
                  HttpStatus.BAD_REQUEST,
                  "unknown_model",
                  "No enabled provider serves the model '" + unknown.model() + "'.")
              .withParam("model");
      case InvalidRequestException invalid ->
          new Problem(HttpStatus.BAD_REQUEST, "invalid_value", invalid.getMessage())
              .withParam(invalid.param());
      case UnsupportedFeatureException unsupported ->
          new Problem(HttpStatus.BAD_REQUEST, "unsupported_parameter", unsupported.getMessage())
              .withParam(unsupported.feature().openAiParam());
      case AnthropicRequests.InvalidException invalid ->
          new Problem(HttpStatus.BAD_REQUEST, "invalid_request", invalid.getMessage());
      case OpenAiRequests.InvalidException invalid ->
          new Problem(
                  HttpStatus.BAD_REQUEST,
                  invalid.code != null ? invalid.code : "invalid_request",
                  invalid.getMessage())
              .withParam(invalid.param);
      case ResponsesErrors.RefusedException refused ->
          new Problem(
                  refused.status(),
                  refused.code() != null ? refused.code() : "invalid_request",
                  refused.getMessage())
              .withParam(refused.field());
      case UpstreamFailedException failed ->
          new Problem(upstreamStatus(failed.code()), failed.code(), failed.getMessage());
      case ConversationStore.InvalidCursorException bad ->
          new Problem(HttpStatus.BAD_REQUEST, "invalid_cursor", bad.getMessage());
      case EventId.InvalidCursorException bad ->
          new Problem(HttpStatus.BAD_REQUEST, "invalid_cursor", bad.getMessage());
      case EventStreams.InvalidWaitException bad ->
          new Problem(HttpStatus.BAD_REQUEST, "invalid_wait", bad.getMessage());
      case HttpMessageNotReadableException unreadable -> unreadable(unreadable);
      case MethodArgumentNotValidException invalid ->
          new Problem(
              HttpStatus.BAD_REQUEST,
              "invalid_request",
              invalid.getBindingResult().getFieldErrors().stream()
                      .map(f -> snake(f.getField()) + " " + f.getDefaultMessage())
                      .collect(Collectors.joining("; "))
                  + ".");
      case HandlerMethodValidationException invalid ->
          new Problem(
              HttpStatus.BAD_REQUEST,
              "invalid_request",
              invalid.getParameterValidationResults().stream()
                      .map(
                          result ->
                              result.getMethodParameter().getParameterName()
                                  + " "
                                  + result.getResolvableErrors().getFirst().getDefaultMessage())
                      .collect(Collectors.joining("; "))
                  + ".");
      case MethodArgumentTypeMismatchException mismatch ->
          mismatch.getRequiredType() == UUID.class
              // A malformed id names nothing that exists: the same answer as an unknown one.
              ? new Problem(
                  HttpStatus.NOT_FOUND, "not_found", "No such " + mismatch.getName() + ".")
              : new Problem(
                  HttpStatus.BAD_REQUEST,
                  "invalid_request",
                  mismatch.getName() + " has an invalid value.");
      case NoResourceFoundException noRoute ->
          // Spring's own words ("No static resource …") describe its lookup, not the caller's.
          new Problem(
              HttpStatus.NOT_FOUND,
              "not_found",
              "Nothing is served at "
                  + noRoute.getHttpMethod()
                  + " /"
                  + noRoute.getResourcePath()
                  + ".");
      default -> other(e);
    };
  }

  /** The status of a request every provider failed, by the provider's error code. */
  static HttpStatus upstreamStatus(String code) {
    return switch (code) {
      case ErrorCode.RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
      case ErrorCode.CONTEXT_TOO_LONG, ErrorCode.CONTENT_FILTERED, ErrorCode.INVALID_REQUEST ->
          HttpStatus.BAD_REQUEST;
      case ErrorCode.AUTH_FAILED -> HttpStatus.BAD_GATEWAY;
      default -> HttpStatus.SERVICE_UNAVAILABLE;
    };
  }

  private static Problem auth(AuthException e) {
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
    if (e.status() == 401) {
      headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"grizz\"");
    }
    return new Problem(HttpStatus.valueOf(e.status()), e.code(), e.getMessage())
        .withHeaders(headers);
  }

  static HttpHeaders rateLimitHeaders(RateLimits.Allowance allowance) {
    HttpHeaders headers = new HttpHeaders();
    headers.set("RateLimit-Limit", Long.toString(allowance.limit()));
    headers.set("RateLimit-Remaining", Long.toString(allowance.remaining()));
    headers.set("RateLimit-Reset", Long.toString(allowance.resetSeconds()));
    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(allowance.retryAfterSeconds()));
    // OpenAI's names beside the IETF ones: its SDKs read these.
    headers.addAll(OpenAiHeaders.rateLimits(allowance));
    return headers;
  }

  private static Problem budget(BudgetExceededException e) {
    HttpHeaders headers = new HttpHeaders();
    headers.set(
        HttpHeaders.RETRY_AFTER,
        Long.toString(Math.max(1, Duration.between(Instant.now(), e.resetsAt()).toSeconds())));
    return new Problem(HttpStatus.TOO_MANY_REQUESTS, "budget_exceeded", e.getMessage())
        .withDetails(budgetDetails(e))
        .withHeaders(headers);
  }

  static Map<String, Object> budgetDetails(BudgetExceededException e) {
    return Map.of(
        "limit", e.limit(),
        "allowed", e.allowed(),
        "used", e.used(),
        "remaining", e.remaining(),
        "resets_at", e.resetsAt().toString());
  }

  private static Problem unreadable(HttpMessageNotReadableException e) {
    Problem common = bodyProblem(e);
    if (common != null) {
      return common;
    }
    String limit = jsonLimitExceeded(e);
    if (limit != null) {
      return new Problem(HttpStatus.BAD_REQUEST, "json_limit_exceeded", limit);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnrecognizedPropertyException unknown) {
        return new Problem(
            HttpStatus.BAD_REQUEST,
            "unknown_field",
            "Unknown field '" + unknown.getPropertyName() + "'.");
      }
    }
    return new Problem(
        HttpStatus.BAD_REQUEST,
        "malformed_json",
        "The request body is not valid JSON for this call.");
  }

  /** A body with U+0000 in its text, or past the size limit, whatever wrapped the failure. */
  private static @Nullable Problem bodyProblem(Throwable e) {
    if (NulCharacterException.isCause(e)) {
      return new Problem(HttpStatus.BAD_REQUEST, "invalid_text", NulCharacterException.MESSAGE);
    }
    String tooLarge = BodyTooLargeException.messageIfCause(e);
    if (tooLarge != null) {
      return new Problem(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", tooLarge);
    }
    return null;
  }

  private static Problem other(Throwable e) {
    Problem common = bodyProblem(e);
    if (common != null) {
      return common;
    }
    // Checked here, not by type: the failure comes as whatever the code in between wrapped it in.
    if (DatabaseUnavailable.causedBy(e)) {
      log.warn("database unavailable: {}", e.getMessage());
      return new Problem(
              HttpStatus.SERVICE_UNAVAILABLE, DatabaseUnavailable.CODE, DatabaseUnavailable.MESSAGE)
          .withHeaders(DatabaseUnavailable.headers());
    }
    if (e instanceof ErrorResponse framework) {
      int status = framework.getStatusCode().value();
      String detail = framework.getBody().getDetail();
      return new Problem(
              HttpStatus.valueOf(status),
              codeFor(status),
              detail != null ? detail : "The request cannot be served.")
          .withHeaders(framework.getHeaders());
    }
    log.error("unhandled error", e);
    return new Problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", INTERNAL);
  }

  /** The message for a body past a parser limit (nesting depth, sizes), or null. */
  static @Nullable String jsonLimitExceeded(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof tools.jackson.core.exc.StreamConstraintsException limit) {
        // Jackson's message names the method that sets the limit: an internal detail.
        String what = String.valueOf(limit.getOriginalMessage()).replaceAll(", from `[^`]*`", "");
        return "The JSON body goes beyond a limit: " + what;
      }
    }
    return null;
  }

  static String codeFor(int status) {
    return CODES_BY_STATUS.getOrDefault(
        status, status >= 500 ? "internal_error" : "invalid_request");
  }

  private static String snake(String field) {
    return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
