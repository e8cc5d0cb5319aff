package dev.grizz.engine.security;

import dev.grizz.engine.telemetry.TraceIds;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's answer to what it refuses before any filter runs (a URI it cannot decode; an encoded
 * {@code /} it passes through, for the engine's own check): the engine's JSON error body with the
 * security headers, instead of Tomcat's HTML page without them. Errors the application raised
 * already have a body and pass through untouched.
 */
public class JsonErrorValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, @Nullable Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(true);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    // A path Tomcat could not decode has no decoded form; its raw one still says which API it is.
    String path = request.getDecodedRequestURI();
    if (path == null) {
      path = request.getRequestURI();
    }
    String code;
    String message;
    switch (status) {
      case 501 -> {
        // An unknown method is the client's mistake: a 5xx would count against the engine's
        // error rate (and its alerts) for input it cannot control.
        status = 405;
        code = "method_not_allowed";
        message = "The engine does not serve this method.";
        response.setHeader("Allow", RequestShape.ALLOW);
      }
      case 505 -> {
        status = 400;
        code = "unsupported_http_version";
        message = "Use HTTP/1.1 or HTTP/2.";
      }
      case 400 -> {
        code = "invalid_request";
        message =
            "The request could not be read (check the path's percent-escapes and the headers).";
      }
      default -> {
        code = status >= 500 ? "internal_error" : "http_" + status;
        message = "The request could not be served (HTTP " + status + ").";
      }
    }
    try {
      response.resetBuffer();
      response.setStatus(status);
      SecurityHeadersFilter.apply(response);
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      response.setHeader("Cache-Control", "no-store");
      // When no filter ran no trace id was given: this answer gets its own, on the headers the
      // filters would have set (OpenAI's clients read x-request-id) and in the body.
      String where = path == null ? "" : path;
      String given = response.getHeader("X-Trace-Id");
      String traceId = given != null ? given : TraceIds.current();
      response.setHeader("X-Trace-Id", traceId);
      if (where.startsWith("/v1/")) {
        response.setHeader("x-request-id", traceId);
      }
      byte[] body = FilterErrors.body(where, status, code, message, traceId);
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response was committed meanwhile: nothing more to tell it.
    }
  }
}
