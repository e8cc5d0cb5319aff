package dev.grizz.engine.api;

import dev.grizz.engine.chat.MessageRejectedException;
import dev.grizz.engine.conversation.ConversationNotFoundException;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.ConversationTooLongException;
import dev.grizz.engine.event.EventId;
import dev.grizz.engine.llm.UnknownModelException;
import dev.grizz.engine.moderation.ModerationBlockedException;
import dev.grizz.engine.security.AuthException;
import dev.grizz.engine.security.BodyTooLargeException;
import dev.grizz.engine.security.NulCharacterException;
import dev.grizz.engine.security.RateLimitedException;
import dev.grizz.engine.security.RateLimits;
import dev.grizz.engine.telemetry.TraceIds;
import dev.grizz.engine.usage.BudgetExceededException;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Maps every failure to the one error body with a stable code. Bad input is a 4xx that says what to
 * change; only a bug is a 500, and it shows the trace id, never a stack trace.
 */
@RestControllerAdvice
class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private static final Map<Integer, String> CODES_BY_STATUS =
      Map.of(
          400, "invalid_request",
          404, "not_found",
          405, "method_not_allowed",
          406, "not_acceptable",
          413, "payload_too_large",
          415, "unsupported_media_type");

  @ExceptionHandler
  ResponseEntity<ApiError> notFound(ConversationNotFoundException e) {
    return error(HttpStatus.NOT_FOUND, "not_found", "No such conversation.");
  }

  @ExceptionHandler
  ResponseEntity<ApiError> notFound(NotFoundException e) {
    return error(HttpStatus.NOT_FOUND, "not_found", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ApiError> auth(AuthException e) {
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(e.status())
            .contentType(MediaType.APPLICATION_JSON)
            .header(HttpHeaders.CACHE_CONTROL, "no-store");
    if (e.status() == 401) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"grizz\"");
    }
    return response.body(ApiError.of(e.code(), e.getMessage(), TraceIds.current()));
  }

  @ExceptionHandler
  ResponseEntity<ApiError> moderationBlocked(ModerationBlockedException e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST)
        .contentType(MediaType.APPLICATION_JSON)
        .body(ApiError.of("moderation_blocked", e.getMessage(), TraceIds.current(), e.details()));
  }

  @ExceptionHandler
  ResponseEntity<ApiError> rateLimited(RateLimitedException e) {
    RateLimits.Allowance allowance = e.allowance();
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .contentType(MediaType.APPLICATION_JSON)
        .headers(rateLimitHeaders(allowance))
        .body(ApiError.of("rate_limited", e.getMessage(), TraceIds.current(), allowance.details()));
  }

  static HttpHeaders rateLimitHeaders(RateLimits.Allowance allowance) {
    HttpHeaders headers = new HttpHeaders();
    headers.set("RateLimit-Limit", Long.toString(allowance.limit()));
    headers.set("RateLimit-Remaining", Long.toString(allowance.remaining()));
    headers.set("RateLimit-Reset", Long.toString(allowance.resetSeconds()));
    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(allowance.retryAfterSeconds()));
    return headers;
  }

  @ExceptionHandler
  ResponseEntity<ApiError> tooLong(ConversationTooLongException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            ApiError.of(
                "conversation_too_long",
                e.getMessage(),
                TraceIds.current(),
                Map.of("max_messages", e.maxTurns())));
  }

  @ExceptionHandler
  ResponseEntity<ApiError> rejected(MessageRejectedException e) {
    return error(HttpStatus.BAD_REQUEST, e.code(), e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ApiError> badAdminRequest(
      AdminModerationController.InvalidAdminRequestException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_request", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ApiError> badUsageQuery(UsageController.InvalidUsageQueryException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_request", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ApiError> budget(BudgetExceededException e) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .contentType(MediaType.APPLICATION_JSON)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(e)))
        .body(ApiError.of("budget_exceeded", e.getMessage(), TraceIds.current(), budgetDetails(e)));
  }

  static Map<String, Object> budgetDetails(BudgetExceededException e) {
    return Map.of(
        "limit", e.limit(),
        "allowed", e.allowed(),
        "used", e.used(),
        "remaining", e.remaining(),
        "resets_at", e.resetsAt().toString());
  }

  private static long retryAfterSeconds(BudgetExceededException e) {
    return Math.max(
        1, java.time.Duration.between(java.time.Instant.now(), e.resetsAt()).toSeconds());
  }

  @ExceptionHandler
  ResponseEntity<ApiError> unknownModel(UnknownModelException e) {
    return error(
        HttpStatus.BAD_REQUEST,
        "unknown_model",
        "No enabled provider serves the model '" + e.model() + "'.");
  }

  @ExceptionHandler
  ResponseEntity<ApiError> invalidValue(dev.grizz.engine.llm.InvalidRequestException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_value", e.param() + ": " + e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ApiError> unsupported(dev.grizz.engine.llm.UnsupportedFeatureException e) {
    return error(HttpStatus.BAD_REQUEST, "unsupported_parameter", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ApiError> badCursor(ConversationStore.InvalidCursorException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_cursor", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ApiError> badEventCursor(EventId.InvalidCursorException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_cursor", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ApiError> badWait(EventStreams.InvalidWaitException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_wait", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
    if (NulCharacterException.isCause(e)) {
      return error(HttpStatus.BAD_REQUEST, "invalid_text", NulCharacterException.MESSAGE);
    }
    String tooLarge = BodyTooLargeException.messageIfCause(e);
    if (tooLarge != null) {
      return error(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", tooLarge);
    }
    String limit = jsonLimitExceeded(e);
    if (limit != null) {
      return error(HttpStatus.BAD_REQUEST, "json_limit_exceeded", limit);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnrecognizedPropertyException unknown) {
        return error(
            HttpStatus.BAD_REQUEST,
            "unknown_field",
            "Unknown field '" + unknown.getPropertyName() + "'.");
      }
    }
    return error(
        HttpStatus.BAD_REQUEST,
        "malformed_json",
        "The request body is not valid JSON for this call.");
  }

  @ExceptionHandler
  ResponseEntity<ApiError> invalid(MethodArgumentNotValidException e) {
    String fields =
        e.getBindingResult().getFieldErrors().stream()
            .map(f -> snake(f.getField()) + " " + f.getDefaultMessage())
            .collect(Collectors.joining("; "));
    return error(HttpStatus.BAD_REQUEST, "invalid_request", fields + ".");
  }

  @ExceptionHandler
  ResponseEntity<ApiError> invalidParameter(HandlerMethodValidationException e) {
    String problems =
        e.getParameterValidationResults().stream()
            .map(
                result ->
                    result.getMethodParameter().getParameterName()
                        + " "
                        + result.getResolvableErrors().getFirst().getDefaultMessage())
            .collect(Collectors.joining("; "));
    return error(HttpStatus.BAD_REQUEST, "invalid_request", problems + ".");
  }

  @ExceptionHandler
  ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e) {
    if (e.getRequiredType() == UUID.class) {
      // A malformed id names nothing that exists: the same answer as an unknown one.
      return error(HttpStatus.NOT_FOUND, "not_found", "No such " + e.getName() + ".");
    }
    return error(HttpStatus.BAD_REQUEST, "invalid_request", e.getName() + " has an invalid value.");
  }

  @ExceptionHandler
  ResponseEntity<ApiError> noRoute(NoResourceFoundException e) {
    // Spring's own words ("No static resource …") describe its lookup, not the caller's mistake.
    return error(
        HttpStatus.NOT_FOUND,
        "not_found",
        "Nothing is served at " + e.getHttpMethod() + " /" + e.getResourcePath() + ".");
  }

  @ExceptionHandler
  ResponseEntity<ApiError> other(Exception e) {
    if (NulCharacterException.isCause(e)) {
      return error(HttpStatus.BAD_REQUEST, "invalid_text", NulCharacterException.MESSAGE);
    }
    String tooLarge = BodyTooLargeException.messageIfCause(e);
    if (tooLarge != null) {
      return error(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", tooLarge);
    }
    // Checked here, not by type: the failure comes as whatever the code in between wrapped it in.
    if (DatabaseUnavailable.causedBy(e)) {
      log.warn("database unavailable: {}", e.getMessage());
      return DatabaseUnavailable.answer();
    }
    if (e instanceof ErrorResponse framework) {
      HttpStatusCode status = framework.getStatusCode();
      String detail = framework.getBody().getDetail();
      return ResponseEntity.status(status)
          .headers(framework.getHeaders())
          .contentType(MediaType.APPLICATION_JSON)
          .body(
              ApiError.of(
                  codeFor(status.value()),
                  detail != null ? detail : "The request cannot be served.",
                  TraceIds.current()));
    }
    log.error("unhandled error", e);
    return error(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal_error",
        "Something went wrong on our side; quote the trace id when you report it.");
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

  static ResponseEntity<ApiError> error(HttpStatus status, String code, String message) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(ApiError.of(code, message, TraceIds.current()));
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
