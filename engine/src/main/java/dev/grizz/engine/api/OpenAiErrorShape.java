package dev.grizz.engine.api;

import dev.grizz.engine.security.FilterErrors;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
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
 * error: the general advice ({@link ApiErrors}) for what {@link OpenAiErrors} does not map itself,
 * Spring's own refusals before any controller (no route: 404, method: 405, media types: 406 and
 * 415), and the container's {@code /error} dispatch ({@link FallbackErrorController}), where the
 * path is the one the client asked for. Done where the body is written, not in each handler, so an
 * error added later cannot come out in the wrong shape. Code, message, status, headers and trace id
 * stay as mapped; only the body's shape changes. The Anthropic-compatible {@code /v1/messages} gets
 * Anthropic's shape instead ({@link FilterErrors#anthropicBody}).
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
    if (FilterErrors.isAnthropicPath(path(servletRequest.getServletRequest()))) {
      return FilterErrors.anthropicBody(status, fields.message(), fields.traceId());
    }
    return OpenAiErrors.body(
        OpenAiErrors.typeFor(status), null, fields.code(), fields.message(), fields.traceId());
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
