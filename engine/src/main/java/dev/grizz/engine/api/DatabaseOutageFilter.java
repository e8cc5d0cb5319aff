package dev.grizz.engine.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers 503 database_unavailable for a database failure raised before any controller, chiefly by
 * authentication, which reads the caller's account on every request. Without it the failure reached
 * the servlet container: a 500 internal_error, and a stack trace in the log per request for as long
 * as PostgreSQL stayed down. Sits inside the trace-id filter, outside authentication.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class DatabaseOutageFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(DatabaseOutageFilter.class);

  private final JsonMapper json;

  DatabaseOutageFilter(JsonMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      chain.doFilter(request, response);
    } catch (ServletException | RuntimeException e) {
      if (response.isCommitted() || !DatabaseUnavailable.causedBy(e)) {
        throw e;
      }
      log.warn(
          "database unavailable: {} {}: {}",
          request.getMethod(),
          request.getRequestURI(),
          e.getMessage());
      // Keeps the headers set so far (trace id, CORS), drops any partial body.
      response.resetBuffer();
      response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      DatabaseUnavailable.headers()
          .forEach((name, values) -> response.setHeader(name, values.getFirst()));
      String path = request.getRequestURI();
      Object body =
          dev.grizz.engine.security.FilterErrors.isAnthropicPath(path)
              ? dev.grizz.engine.security.FilterErrors.anthropicBody(
                  503, DatabaseUnavailable.MESSAGE, dev.grizz.engine.telemetry.TraceIds.current())
              : path.startsWith("/v1/")
                  ? OpenAiErrors.databaseUnavailable()
                  : DatabaseUnavailable.answer().getBody();
      response.getOutputStream().write(json.writeValueAsBytes(body));
    }
  }
}
