package dev.grizz.engine.api;

import dev.grizz.engine.config.PodRole;
import dev.grizz.engine.config.PodSettings;
import dev.grizz.engine.security.FilterErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What a pod's role lets through ({@link PodSettings}): a worker's port answers health, readiness
 * and metrics only (404 for the rest, so a worker put behind the load balancer by mistake says so);
 * a pod draining its streams ({@link PodDrain}) refuses new ones with 503 {@code draining} and
 * {@code Retry-After: 1}, so that a client the load balancer still sends here retries elsewhere.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class PodRoleFilter extends OncePerRequestFilter {

  static final String DRAINING = "draining";

  private final PodRole role;
  private final DrainState drain;

  PodRoleFilter(PodSettings pod, DrainState drain) {
    this.role = pod.role();
    this.drain = drain;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI();
    if (role == PodRole.WORKER && !servedByWorkers(path)) {
      FilterErrors.write(
          response,
          path,
          404,
          "not_found",
          "This pod is a worker (GRIZZ_ROLE=worker): it serves /health, /actuator/health and"
              + " /actuator/prometheus only. Send API requests to a gateway.");
      return;
    }
    if (drain.draining() && opensStream(request)) {
      response.setHeader(HttpHeaders.RETRY_AFTER, "1");
      FilterErrors.write(
          response,
          path,
          503,
          DRAINING,
          "This pod is shutting down; open the stream again (another pod will serve it).");
      return;
    }
    chain.doFilter(request, response);
  }

  static boolean servedByWorkers(String path) {
    return path.equals("/health")
        || path.equals("/actuator/health")
        || path.startsWith("/actuator/health/")
        || path.equals("/actuator/prometheus");
  }

  private static boolean opensStream(HttpServletRequest request) {
    String upgrade = request.getHeader(HttpHeaders.UPGRADE);
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    return (upgrade != null && upgrade.equalsIgnoreCase("websocket"))
        || (accept != null && accept.contains("text/event-stream"))
        || request.getRequestURI().endsWith("/events");
  }
}
