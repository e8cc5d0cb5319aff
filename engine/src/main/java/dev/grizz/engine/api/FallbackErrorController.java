package dev.grizz.engine.api;

import dev.grizz.engine.telemetry.TraceIds;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside a controller (by the servlet container or a filter) get the same body as
 * the rest, instead of Boot's default page.
 */
@RestController
class FallbackErrorController implements ErrorController {

  @RequestMapping("/error")
  ResponseEntity<ApiError> error(HttpServletRequest request, HttpServletResponse response) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    // Called directly (GET /error) there is no error to report: nothing lives at that path.
    int status = code instanceof Integer value ? value : 404;
    HttpStatus resolved = HttpStatus.resolve(status);
    String traceId = response.getHeader("X-Trace-Id");
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            ApiError.of(
                ErrorCatalog.codeFor(status),
                resolved != null ? resolved.getReasonPhrase() + "." : "Request failed.",
                traceId != null ? traceId : TraceIds.current()));
  }
}
