package dev.grizz.engine.api;

import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.security.FilterErrors;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Renders the engine's error body in OpenAI's shape on every {@code /v1} path, whatever raised the
 * error: the REST advice ({@link ApiErrors}, rendering {@link ErrorCatalog}), Spring's own refusals
 * before any controller (no route: 404, method: 405, media types: 406 and 415), and the container's
 * {@code /error} dispatch ({@link FallbackErrorController}), where the path is the one the client
 * asked for. Done where the body is written, not in each handler, so an error added later cannot
 * come out in the wrong shape. Message, headers and trace id stay as the catalog mapped them;
 * OpenAI's vocabulary is applied here and only here: its type, its names for two codes ({@code
 * context_length_exceeded}, {@code model_not_found}), 404 for an unknown model, and the field at
 * fault. The Anthropic-compatible {@code /v1/messages} gets Anthropic's shape instead ({@link
 * FilterErrors#anthropicBody}).
 */
@ControllerAdvice
class OpenAiErrorShape implements ResponseBodyAdvice<Object> {

  @Override
  public boolean supports(
      MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
    return true;
  }

  @Override
  public @Nullable Object beforeBodyWrite(
      @Nullable Object body,
      MethodParameter returnType,
      MediaType contentType,
      Class<? extends HttpMessageConverter<?>> converterType,
      ServerHttpRequest request,
      ServerHttpResponse response) {
    if (!(body instanceof ApiError error)
        || !(request instanceof ServletServerHttpRequest servletRequest)
        || !isOpenAiRequest(servletRequest.getServletRequest())) {
      return body;
    }
    int status =
        response instanceof ServletServerHttpResponse servletResponse
            ? servletResponse.getServletResponse().getStatus()
            : 500;
    ApiError.Body fields = error.error();
    if (fields.code().equals("unknown_model")) {
      // Both vendors answer a model they do not serve with 404; their SDKs raise NotFound.
      status = 404;
      response.setStatusCode(HttpStatus.NOT_FOUND);
    }
    String path = path(servletRequest.getServletRequest());
    if (FilterErrors.isAnthropicPath(path)) {
      return FilterErrors.anthropicBody(status, fields.message(), fields.traceId());
    }
    return body(
        type(status, fields.code()),
        fields.param() != null ? fields.param() : defaultParam(fields.code(), path),
        openAiCode(fields.code()),
        fields.message(),
        fields.traceId());
  }

  /**
   * OpenAI's error type: its quota type for a spent budget, {@code invalid_request_error} for an
   * unknown model (its 404 says so), else by status (one table).
   */
  static String type(int status, String code) {
    return switch (code) {
      case "budget_exceeded" -> "insufficient_quota";
      case "unknown_model" -> "invalid_request_error";
      default -> FilterErrors.openAiType(status);
    };
  }

  /**
   * OpenAI's code where its clients look for one: a context overflow is {@code
   * context_length_exceeded}, which frameworks (LangChain's trimming, for one) catch by that name;
   * an unknown model is {@code model_not_found}. The engine's own chat API keeps its codes.
   */
  static String openAiCode(String code) {
    return switch (code) {
      case ErrorCode.CONTEXT_TOO_LONG, "content_too_long" -> "context_length_exceeded";
      case "unknown_model" -> "model_not_found";
      default -> code;
    };
  }

  /** The field at fault when the catalog knew none of its own: the messages, in this API's name. */
  private static @Nullable String defaultParam(String code, String path) {
    return switch (code) {
      case "moderation_blocked",
          "content_too_large",
          "content_too_long",
          "content_empty",
          "content_invalid_characters" ->
          path.startsWith("/v1/responses") ? "input" : "messages";
      default -> null;
    };
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

  private static boolean isOpenAiRequest(HttpServletRequest request) {
    return OpenAiHeaders.isOpenAiPath(path(request));
  }

  /** The path the client asked for, also on the container's error dispatch. */
  private static String path(HttpServletRequest request) {
    Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    return original instanceof String uri ? uri : request.getRequestURI();
  }
}
