package dev.grizz.engine.security;

import dev.grizz.engine.telemetry.TraceIds;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The error body for refusals made before any controller runs (filters, the servlet container), in
 * the shape of the API the path belongs to: OpenAI's (with {@code type} and {@code param}) on
 * {@code /v1}, the engine's own elsewhere. Controllers' errors are rendered by the api package's
 * advice in the same two shapes.
 */
public final class FilterErrors {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private FilterErrors() {}

  /** Answers {@code status} with {@code code} in the shape of the API {@code path} belongs to. */
  public static void write(
      HttpServletResponse response, String path, int status, String code, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    if (status == 401) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"grizz\"");
    }
    byte[] body = body(path, status, code, message);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    // Out now: the container may go on reading (and dropping) an unread upload before it closes.
    response.flushBuffer();
  }

  static byte[] body(String path, int status, String code, String message) {
    return body(path, status, code, message, TraceIds.current());
  }

  static byte[] body(String path, int status, String code, String message, String traceId) {
    if (isAnthropicPath(path)) {
      return JSON.writeValueAsBytes(anthropicBody(status, message, traceId));
    }
    Map<String, @Nullable Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    error.put("trace_id", traceId);
    if (path.startsWith("/v1/")) {
      error.put("type", openAiType(status));
      error.put("param", null);
    }
    return JSON.writeValueAsBytes(Map.of("error", error));
  }

  /**
   * Whether a path belongs to the Anthropic-compatible API ({@code /v1/messages}), whose errors
   * take Anthropic's shape though it sits under OpenAI's {@code /v1}.
   */
  public static boolean isAnthropicPath(String path) {
    return path.equals("/v1/messages") || path.startsWith("/v1/messages/");
  }

  /**
   * Anthropic's error body: {@code {"type":"error","error":{"type","message"},"request_id"}}, the
   * request id being the engine's trace id. Its SDKs pick the exception by status, and show the
   * type and message.
   */
  public static Map<String, Object> anthropicBody(int status, String message, String traceId) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", anthropicType(status));
    error.put("message", message);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "error");
    body.put("error", error);
    body.put("request_id", traceId);
    return body;
  }

  /** Anthropic's error type for a status (its documented table; 503 is its overload, as 529). */
  public static String anthropicType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  /**
   * OpenAI's error type for a status: the one table, for filters and the api's advice alike. A 404
   * is {@code invalid_request_error}, as OpenAI answers an unknown model, URL or response id.
   */
  public static String openAiType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }
}
