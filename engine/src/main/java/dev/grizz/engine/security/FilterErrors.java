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

  static void write(
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

  /** OpenAI's error type for a status: the one table, for filters and the api's advice alike. */
  public static String openAiType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }
}
