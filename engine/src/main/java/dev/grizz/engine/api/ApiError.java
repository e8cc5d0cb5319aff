package dev.grizz.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one error body: {@code {"error":{"code","message","trace_id"}}}, with {@code param} (the
 * request field at fault) and {@code details} (data a client can act on) when there are some.
 */
record ApiError(Body error) {

  static ApiError of(String code, String message, String traceId) {
    return new ApiError(new Body(code, message, traceId, null, null));
  }

  static ApiError of(String code, String message, String traceId, Map<String, Object> details) {
    return new ApiError(new Body(code, message, traceId, null, details));
  }

  /** {@code details} carries data a client can act on, such as the remaining budget. */
  record Body(
      String code,
      String message,
      String traceId,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String param,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Map<String, Object> details) {}
}
