package dev.grizz.engine.api;

import dev.grizz.engine.telemetry.TraceIds;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Renders every failure as the one REST error body, {@code {"error":{"code","message","trace_id",
 * "param"?,"details"?}}}, from {@link ErrorCatalog}, which says what each failure is. On {@code
 * /v1} paths {@link OpenAiErrorShape} gives the same body OpenAI's or Anthropic's shape.
 */
@RestControllerAdvice
class ApiErrors {

  @ExceptionHandler
  ResponseEntity<ApiError> handle(Exception e) {
    return render(ErrorCatalog.of(e));
  }

  static ResponseEntity<ApiError> render(Problem problem) {
    return ResponseEntity.status(problem.status())
        .headers(problem.headers())
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            new ApiError(
                new ApiError.Body(
                    problem.code(),
                    problem.message(),
                    TraceIds.current(),
                    problem.param(),
                    problem.details())));
  }

  static ResponseEntity<ApiError> error(HttpStatus status, String code, String message) {
    return render(new Problem(status, code, message));
  }
}
