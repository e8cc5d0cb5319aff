package dev.grizz.engine.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api}, {@code /v1} and {@code /ws} request proves who it is before any handler runs,
 * except creating a session, signing up and logging in; admin routes also need an admin. A refusal
 * is a 401 or 403 with the usual error body (OpenAI's shape on {@code /v1}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 4)
class AuthFilter extends OncePerRequestFilter {

  // Resolved on first request: filters are made while the web server starts, and the database
  // behind the authenticator must not fail there (its errors are reported in one line later).
  private final ObjectProvider<Authenticator> authenticator;

  AuthFilter(ObjectProvider<Authenticator> authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !RouteRules.authenticates(request.getRequestURI())
        || "OPTIONS".equals(request.getMethod());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // RequestLimitsFilter has refused every path that is not canonical, so this is the path the
    // router matches; RouteAccessInterceptor checks the matched route again all the same.
    String path = request.getRequestURI();
    RouteRules.Need need = RouteRules.need(request.getMethod(), path);
    HttpServletRequest forward = request;
    byte[] body = new byte[0];
    if (request.getHeader(Authenticator.SIGNATURE) != null) {
      try {
        body = request.getInputStream().readAllBytes();
      } catch (BodyTooLargeException e) {
        FilterErrors.write(response, path, 413, "payload_too_large", e.getMessage());
        return;
      }
      forward = new CachedBody(request, body);
    }
    Caller caller;
    try {
      caller =
          authenticator
              .getObject()
              .authenticate(credentials(request, path, RouteRules.apiKeyBearerAllowed(path)), body);
      RouteAccessInterceptor.check(need, caller);
    } catch (AuthException e) {
      FilterErrors.write(response, path, e.status(), e.code(), e.getMessage());
      return;
    }
    if (caller != null) {
      forward = new WithCaller(forward, caller);
      forward.setAttribute(CurrentUser.ATTRIBUTE, caller);
    }
    chain.doFilter(forward, response);
  }

  private static Authenticator.Credentials credentials(
      HttpServletRequest request, String path, boolean apiKeyBearer) {
    String query = request.getQueryString();
    boolean socket = path.startsWith("/ws/");
    // Tickets travel in URLs, so only where a browser cannot send a header: SSE and WebSocket.
    boolean ticketRoute = socket || ("GET".equals(request.getMethod()) && path.endsWith("/events"));
    return new Authenticator.Credentials(
        request.getMethod(),
        query == null ? path : path + "?" + query,
        authorization(request, path),
        socket ? request.getHeader("Sec-WebSocket-Protocol") : null,
        ticketRoute ? request.getParameter("ticket") : null,
        request.getHeader(Authenticator.KEY_ID),
        request.getHeader(Authenticator.TIMESTAMP),
        request.getHeader(Authenticator.NONCE),
        request.getHeader(Authenticator.SIGNATURE),
        apiKeyBearer);
  }

  /**
   * The Authorization header; on the Anthropic-compatible routes an API key may come in {@code
   * x-api-key} instead, as Anthropic's SDKs and Claude Code send it. That header takes API keys
   * only (a session token there is refused, not tried), and then goes the way of a bearer API key:
   * the same lookup, revocation and suspension checks. Both headers at once are refused rather than
   * one picked.
   */
  private static @Nullable String authorization(HttpServletRequest request, String path) {
    String authorization = request.getHeader("Authorization");
    String apiKey = RouteRules.apiKeyHeaderAllowed(path) ? request.getHeader("x-api-key") : null;
    if (apiKey == null) {
      return authorization;
    }
    if (authorization != null) {
      throw AuthException.unauthenticated(
          "invalid_token", "Send the API key in x-api-key or in Authorization, not in both.");
    }
    if (!ApiKeys.looksLikeKey(apiKey.strip())) {
      throw AuthException.unauthenticated(
          "invalid_api_key", "x-api-key takes a Grizz API key, and this is not one.");
    }
    return "Bearer " + apiKey.strip();
  }

  /**
   * The caller as the servlet API's principal, so what asks the request itself (Spring Boot's
   * health endpoint, which shows details to the {@code ADMIN} role only) sees who it is.
   */
  private static final class WithCaller extends HttpServletRequestWrapper {

    private final Caller caller;

    WithCaller(HttpServletRequest request, Caller caller) {
      super(request);
      this.caller = caller;
    }

    @Override
    public java.security.Principal getUserPrincipal() {
      return caller.userId()::toString;
    }

    @Override
    public boolean isUserInRole(String role) {
      return "ADMIN".equals(role) && caller.admin();
    }
  }

  /** A request whose body was read to check its signature, readable again by the handler. */
  private static final class CachedBody extends HttpServletRequestWrapper {

    private final byte[] body;

    CachedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("synchronous reads only");
        }

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(
          new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
