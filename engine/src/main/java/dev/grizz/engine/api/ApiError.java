package dev.grizz.engine.api;

/** The one error body: {@code {"error":{"code","message","trace_id"}}}. */
record ApiError(Body error) {

  static ApiError of(String code, String message, String traceId) {
    return new ApiError(new Body(code, message, traceId));
  }

  record Body(String code, String message, String traceId) {}
}
