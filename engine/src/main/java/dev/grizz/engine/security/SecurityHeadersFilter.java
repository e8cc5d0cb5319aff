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
 * Headers every response carries, and the request-size limit. The web UI's bootstrap needs inline
 * scripts, hence {@code 'unsafe-inline'} for scripts; everything else is same-origin only.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class SecurityHeadersFilter extends OncePerRequestFilter {

  static final String CSP =
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
          + "img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; "
          + "base-uri 'self'; form-action 'self'";

  private final WebSettings settings;

  SecurityHeadersFilter(WebSettings settings) {
    this.settings = settings;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Content-Security-Policy", CSP);
    response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (request.getContentLengthLong() > settings.maxBodyBytes()) {
      // Refused before anything reads the body; clients that stream larger bodies without a length
      // are cut by the JSON limits instead.
      response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
      return;
    }
    chain.doFilter(request, response);
  }
}
