package dev.grizz.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The one error body: {@code {"error":{"code","message","trace_id"}}}. */
record ApiError(Body error) {

  static ApiError of(String code, String message, String traceId) {
    return new ApiError(new Body(code, message, traceId, null));
  }

  static ApiError of(String code, String message, String traceId, Map<String, Object> details) {
    return new ApiError(new Body(code, message, traceId, details));
  }

  /** {@code details} carries data a client can act on, such as the remaining budget. */
  record Body(
      String code,
      String message,
      String traceId,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Map<String, Object> details) {}
}
