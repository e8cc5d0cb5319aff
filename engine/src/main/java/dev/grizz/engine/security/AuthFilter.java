package dev.grizz.engine.security;

import dev.grizz.engine.telemetry.TraceIds;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code /api}, {@code /v1} and {@code /ws} request proves who it is before any handler runs,
 * except creating a session, signing up and logging in; admin routes also need an admin. A refusal
 * is a 401 or 403 with the usual error body (OpenAI's shape on {@code /v1}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class AuthFilter extends OncePerRequestFilter {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  // Resolved on first request: filters are made while the web server starts, and the database
  // behind the authenticator must not fail there (its errors are reported in one line later).
  private final ObjectProvider<Authenticator> authenticator;
  private final WebSettings web;

  AuthFilter(ObjectProvider<Authenticator> authenticator, WebSettings web) {
    this.authenticator = authenticator;
    this.web = web;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI();
    return !(path.startsWith("/api/") || path.startsWith("/v1/") || path.startsWith("/ws/"))
        || "OPTIONS".equals(request.getMethod());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI();
    boolean open = isOpen(request.getMethod(), path);
    HttpServletRequest forward = request;
    byte[] body = new byte[0];
    if (request.getHeader(Authenticator.SIGNATURE) != null) {
      body = request.getInputStream().readNBytes(web.maxBodyBytes() + 1);
      if (body.length > web.maxBodyBytes()) {
        response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        return;
      }
      forward = new CachedBody(request, body);
    }
    Caller caller;
    try {
      caller = authenticator.getObject().authenticate(credentials(request, path), body);
      if (caller == null && !open) {
        throw AuthException.unauthenticated(
            "unauthenticated",
            "Sign in first: send 'Authorization: Bearer <token>' (POST /api/v1/sessions gives one)"
                + " or sign the request with an API key.");
      }
      if (caller != null && path.startsWith("/api/v1/admin/") && !caller.admin()) {
        throw AuthException.forbidden("admin_required", "Only an admin may call this.");
      }
    } catch (AuthException e) {
      refuse(response, path, e);
      return;
    }
    if (caller != null) {
      forward.setAttribute(CurrentUser.ATTRIBUTE, caller);
    }
    chain.doFilter(forward, response);
  }

  private static boolean isOpen(String method, String path) {
    return "POST".equals(method)
        && (path.equals("/api/v1/sessions")
            || path.equals("/api/v1/sessions/refresh")
            || path.equals("/api/v1/accounts"));
  }

  private static Authenticator.Credentials credentials(HttpServletRequest request, String path) {
    String query = request.getQueryString();
    boolean socket = path.startsWith("/ws/");
    // Tickets travel in URLs, so only where a browser cannot send a header: SSE and WebSocket.
    boolean ticketRoute = socket || ("GET".equals(request.getMethod()) && path.endsWith("/events"));
    return new Authenticator.Credentials(
        request.getMethod(),
        query == null ? path : path + "?" + query,
        request.getHeader("Authorization"),
        socket ? request.getHeader("Sec-WebSocket-Protocol") : null,
        ticketRoute ? request.getParameter("ticket") : null,
        request.getHeader(Authenticator.KEY_ID),
        request.getHeader(Authenticator.TIMESTAMP),
        request.getHeader(Authenticator.NONCE),
        request.getHeader(Authenticator.SIGNATURE),
        path.startsWith("/v1/"));
  }

  private static void refuse(HttpServletResponse response, String path, AuthException e)
      throws IOException {
    response.setStatus(e.status());
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    if (e.status() == 401) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"grizz\"");
    }
    Map<String, @Nullable Object> error = new LinkedHashMap<>();
    error.put("code", e.code());
    error.put("message", e.getMessage());
    error.put("trace_id", TraceIds.current());
    if (path.startsWith("/v1/")) {
      error.put("type", e.status() == 401 ? "authentication_error" : "permission_error");
      error.put("param", null);
    }
    response.getOutputStream().write(JSON.writeValueAsBytes(Map.of("error", error)));
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
