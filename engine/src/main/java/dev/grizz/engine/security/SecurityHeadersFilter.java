package dev.grizz.engine.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Headers every response carries, set before anything else can answer (the servlet container's own
 * error answers get them from {@link JsonErrorValve}). The web UI's bootstrap needs inline scripts,
 * hence {@code 'unsafe-inline'} for scripts; everything else is same-origin only.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class SecurityHeadersFilter extends OncePerRequestFilter {

  static final String CSP =
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
          + "img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; "
          + "base-uri 'self'; form-action 'self'";

  /** Also on the error dispatch: a container error page rendered there must carry them too. */
  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    apply(response);
    String path = request.getRequestURI();
    if (path.startsWith("/api/") || path.startsWith("/v1/")) {
      // API answers are one user's data, some carry tokens (sessions): no cache keeps them. A
      // handler may still say otherwise for its own answer.
      response.setHeader("Cache-Control", "no-store");
    }
    chain.doFilter(request, response);
  }

  static void apply(HttpServletResponse response) {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Content-Security-Policy", CSP);
    response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  }
}
