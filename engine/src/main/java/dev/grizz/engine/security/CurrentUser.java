package dev.grizz.engine.security;

import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Who the current HTTP request comes from, as {@link AuthFilter} proved it. WebSocket handlers read
 * the caller from the session's attributes instead ({@link #ATTRIBUTE}), since their messages
 * arrive outside any HTTP request.
 */
@Service
public class CurrentUser {

  /** The request (and WebSocket session) attribute that holds the {@link Caller}. */
  public static final String ATTRIBUTE = "grizz.caller";

  /**
   * The caller of the current request.
   *
   * @throws AuthException 401 when the request carried no credentials (an open route)
   */
  public Caller caller() {
    Caller caller = callerOrNull();
    if (caller == null) {
      throw AuthException.unauthenticated("unauthenticated", "Sign in first.");
    }
    return caller;
  }

  /** The caller, or null on an open route called without credentials. */
  public @Nullable Caller callerOrNull() {
    RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
    return attributes == null
        ? null
        : (Caller) attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
  }

  /**
   * The caller, who must be an admin. Admin handlers call it themselves although the filter and the
   * route check already refused everyone else: one more check costs nothing on a rare route.
   *
   * @throws AuthException 401 without a caller, 403 {@code admin_required} for anyone else
   */
  public Caller admin() {
    Caller caller = caller();
    if (!caller.admin()) {
      throw AuthException.forbidden("admin_required", "Only an admin may call this.");
    }
    return caller;
  }

  public UUID id() {
    return caller().userId();
  }

  /**
   * The user an admin-or-self route acts on: the caller may name themself; only an admin may name
   * someone else. Anyone else gets the answer an unknown id gets.
   */
  public boolean maySee(UUID userId) {
    Caller caller = caller();
    return caller.userId().equals(userId) || caller.admin();
  }
}
