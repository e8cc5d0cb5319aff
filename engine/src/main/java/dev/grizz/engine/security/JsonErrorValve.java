package dev.grizz.engine.security;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's answer to what it refuses before any filter runs (a URI it cannot decode, an encoded
 * {@code /}): the engine's JSON error body with the security headers, instead of Tomcat's HTML page
 * without them. Errors the application raised already have a body and pass through untouched.
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
    String path = request.getDecodedRequestURI();
    String code =
        status == 400 ? "invalid_request" : status >= 500 ? "internal_error" : "http_" + status;
    String message =
        status == 400
            ? "The request could not be read (check the path's percent-escapes and the headers)."
            : "The request could not be served (HTTP " + status + ").";
    try {
      response.resetBuffer();
      SecurityHeadersFilter.apply(response);
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      response.setHeader("Cache-Control", "no-store");
      byte[] body = FilterErrors.body(path == null ? "" : path, status, code, message);
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response was committed meanwhile: nothing more to tell it.
    }
  }
}
