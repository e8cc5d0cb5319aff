package dev.grizz.engine.security;

/**
 * Who may call which path: the one table that {@link AuthFilter} (on the request's path) and {@link
 * RouteAccessInterceptor} (on the route pattern the router matched) both read. Paths reach it only
 * in their canonical spelling ({@link CanonicalPath}), so prefix tests mean what they say.
 */
final class RouteRules {

  /** What a route needs of its caller. */
  enum Need {
    /** Nothing: open to anyone. */
    NONE,
    /** Any proven caller, anonymous users included. */
    CALLER,
    /** An admin. */
    ADMIN
  }

  private static final String ADMIN_PREFIX = "/api/v1/admin";

  private RouteRules() {}

  /**
   * What {@code method path} needs; {@code path} may also be a route pattern such as {@code
   * /x/{id}}.
   */
  static Need need(String method, String path) {
    if (isAdmin(path) || path.equals("/actuator/prometheus")) {
      return Need.ADMIN;
    }
    if (isOpen(method, path) || isApiDocument(path)) {
      return Need.NONE;
    }
    if (path.startsWith("/api/") || path.startsWith("/v1/") || path.startsWith("/ws/")) {
      return Need.CALLER;
    }
    // The web UI's files, liveness and the status of health checks (their details need an admin).
    return Need.NONE;
  }

  static boolean isAdmin(String path) {
    return path.equals(ADMIN_PREFIX) || path.startsWith(ADMIN_PREFIX + "/");
  }

  /**
   * Creating a session, refreshing one and signing up are how a caller gets credentials; a shared
   * conversation is read by whoever holds its link (the token in the path is the credential).
   */
  static boolean isOpen(String method, String path) {
    return ("POST".equals(method)
            && (path.equals("/api/v1/sessions")
                || path.equals("/api/v1/sessions/refresh")
                || path.equals("/api/v1/accounts")))
        || ("GET".equals(method) && isShared(path));
  }

  /** A shared conversation's snapshot: one path segment after the prefix, nothing deeper. */
  static boolean isShared(String path) {
    String prefix = "/api/v1/shared/";
    return path.startsWith(prefix)
        && path.length() > prefix.length()
        && path.indexOf('/', prefix.length()) < 0;
  }

  /** The OpenAPI document: open, so tools can read the API before anyone has credentials. */
  static boolean isApiDocument(String path) {
    return path.equals("/openapi.yaml") || path.equals("/openapi.json");
  }

  /** Paths whose callers {@link AuthFilter} authenticates (others carry no credentials). */
  static boolean authenticates(String path) {
    return path.startsWith("/api/")
        || path.startsWith("/v1/")
        || path.startsWith("/ws/")
        || path.startsWith("/actuator/");
  }

  /**
   * Where an API key may also come in the {@code x-api-key} header: the Anthropic-compatible
   * routes, whose clients send it there.
   */
  static boolean apiKeyHeaderAllowed(String path) {
    return FilterErrors.isAnthropicPath(path);
  }

  /** Where an API key may be sent as a bearer token: OpenAI's clients and metrics scrapers. */
  static boolean apiKeyBearerAllowed(String path) {
    return path.startsWith("/v1/") || path.equals("/actuator/prometheus");
  }
}
