package dev.grizz.engine.api;

import dev.grizz.engine.chat.MessageRejectedException;
import dev.grizz.engine.conversation.ConversationNotFoundException;
import dev.grizz.engine.conversation.ConversationTooLongException;
import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.llm.UnknownModelException;
import dev.grizz.engine.moderation.ModerationBlockedException;
import dev.grizz.engine.security.RateLimitedException;
import dev.grizz.engine.telemetry.TraceIds;
import dev.grizz.engine.usage.BudgetExceededException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors of the OpenAI-compatible API in OpenAI's shape, which its SDKs parse into exceptions. */
@RestControllerAdvice(assignableTypes = {OpenAiCompatController.class, ResponsesController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class OpenAiErrors {

  private static final Logger log = LoggerFactory.getLogger(OpenAiErrors.class);

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> tooLong(ConversationTooLongException e) {
    return error(
        HttpStatus.CONFLICT,
        "invalid_request_error",
        null,
        "conversation_too_long",
        e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> moderationBlocked(ModerationBlockedException e) {
    return error(
        HttpStatus.BAD_REQUEST,
        "invalid_request_error",
        "messages",
        "moderation_blocked",
        e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> rateLimited(RateLimitedException e) {
    ResponseEntity<Map<String, Object>> body =
        error(
            HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", null, "rate_limited", e.getMessage());
    return ResponseEntity.status(body.getStatusCode())
        .headers(body.getHeaders())
        .headers(ApiErrors.rateLimitHeaders(e.allowance()))
        .headers(OpenAiHeaders.rateLimits(e.allowance()))
        .body(body.getBody());
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> unknownModel(UnknownModelException e) {
    return error(
        HttpStatus.NOT_FOUND,
        "invalid_request_error",
        "model",
        "model_not_found",
        "The model '" + e.model() + "' does not exist or no enabled provider serves it.");
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> invalidValue(dev.grizz.engine.llm.InvalidRequestException e) {
    return error(
        HttpStatus.BAD_REQUEST,
        "invalid_request_error",
        e.param(),
        "invalid_value",
        e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> unsupported(
      dev.grizz.engine.llm.UnsupportedFeatureException e) {
    return error(
        HttpStatus.BAD_REQUEST,
        "invalid_request_error",
        e.feature().openAiParam(),
        "unsupported_parameter",
        e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> invalid(OpenAiRequests.InvalidException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_request_error", e.param, e.code, e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
    if (dev.grizz.engine.security.NulCharacterException.isCause(e)) {
      return error(
          HttpStatus.BAD_REQUEST,
          "invalid_request_error",
          null,
          "invalid_text",
          dev.grizz.engine.security.NulCharacterException.MESSAGE);
    }
    String tooLarge = dev.grizz.engine.security.BodyTooLargeException.messageIfCause(e);
    if (tooLarge != null) {
      return error(
          HttpStatus.CONTENT_TOO_LARGE,
          "invalid_request_error",
          null,
          "payload_too_large",
          tooLarge);
    }
    String limit = ApiErrors.jsonLimitExceeded(e);
    if (limit != null) {
      return error(
          HttpStatus.BAD_REQUEST, "invalid_request_error", null, "json_limit_exceeded", limit);
    }
    return error(
        HttpStatus.BAD_REQUEST, "invalid_request_error", null, null, "The body is not valid JSON.");
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> rejected(MessageRejectedException e) {
    return error(
        HttpStatus.BAD_REQUEST,
        "invalid_request_error",
        "messages",
        openAiCode(e.code()),
        e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> noConversation(ConversationNotFoundException e) {
    return error(
        HttpStatus.NOT_FOUND, "invalid_request_error", null, "not_found", "No such conversation.");
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> budget(BudgetExceededException e) {
    return error(
        HttpStatus.TOO_MANY_REQUESTS,
        "insufficient_quota",
        null,
        "budget_exceeded",
        e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> upstream(OpenAiRequests.UpstreamFailedException e) {
    HttpStatus status =
        switch (e.code) {
          case ErrorCode.RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
          case ErrorCode.CONTEXT_TOO_LONG, ErrorCode.CONTENT_FILTERED, ErrorCode.INVALID_REQUEST ->
              HttpStatus.BAD_REQUEST;
          case ErrorCode.AUTH_FAILED -> HttpStatus.BAD_GATEWAY;
          default -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    String type = status == HttpStatus.BAD_REQUEST ? "invalid_request_error" : "api_error";
    return error(status, type, null, openAiCode(e.code), e.getMessage());
  }

  /**
   * OpenAI's code where its clients look for one: a context overflow is {@code
   * context_length_exceeded}, which frameworks (LangChain's trimming, for one) catch by that name.
   * The engine's own chat API keeps its codes.
   */
  static String openAiCode(String code) {
    return switch (code) {
      case ErrorCode.CONTEXT_TOO_LONG, "content_too_long" -> "context_length_exceeded";
      default -> code;
    };
  }

  /** OpenAI's error type for a status, for errors the engine maps by status alone. */
  static String typeFor(int status) {
    return dev.grizz.engine.security.FilterErrors.openAiType(status);
  }

  @ExceptionHandler({DataAccessException.class, TransactionException.class})
  ResponseEntity<Map<String, Object>> database(RuntimeException e) {
    if (DatabaseUnavailable.causedBy(e)) {
      log.warn("database unavailable: {}", e.getMessage());
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .headers(DatabaseUnavailable.headers())
          .contentType(MediaType.APPLICATION_JSON)
          .body(databaseUnavailable());
    }
    log.error("unhandled error", e);
    return error(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "api_error",
        null,
        "internal_error",
        "Something went wrong on our side; quote the trace id when you report it.");
  }

  /** The body of a 503 database_unavailable on the /v1 routes. */
  static Map<String, Object> databaseUnavailable() {
    return body("api_error", null, DatabaseUnavailable.CODE, DatabaseUnavailable.MESSAGE);
  }

  private static ResponseEntity<Map<String, Object>> error(
      HttpStatus status,
      String type,
      @Nullable String param,
      @Nullable String code,
      String message) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(body(type, param, code, message));
  }

  private static Map<String, Object> body(
      String type, @Nullable String param, @Nullable String code, String message) {
    return body(type, param, code, message, TraceIds.current());
  }

  /** OpenAI's error body, with the engine's trace id beside its four fields. */
  static Map<String, Object> body(
      String type, @Nullable String param, @Nullable String code, String message, String traceId) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    error.put("trace_id", traceId);
    return Map.of("error", error);
  }
}
