package dev.grizz.engine.api;

import dev.grizz.engine.security.Accounts;
import dev.grizz.engine.security.AuthException;
import dev.grizz.engine.security.Caller;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.security.RateLimits;
import dev.grizz.engine.security.Tokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sessions: anonymous ones for browsers, logins, sign-ups, refresh, and short-lived tickets for
 * stream URLs. Every session answer has the same shape.
 */
@RestController
class AuthController {

  private final Accounts accounts;
  private final Tokens tokens;
  private final CurrentUser user;
  private final RateLimits rateLimits;
  private final Clock clock;

  AuthController(
      Accounts accounts, Tokens tokens, CurrentUser user, RateLimits rateLimits, Clock clock) {
    this.accounts = accounts;
    this.tokens = tokens;
    this.user = user;
    this.rateLimits = rateLimits;
    this.clock = clock;
  }

  record LoginRequest(
      @Nullable @Size(max = 254) String email, @Nullable @Size(max = 400) String password) {}

  record RefreshRequest(@NotNull String refreshToken) {}

  record SignUpRequest(
      @NotNull @Size(max = 254) String email,
      @NotNull @Size(max = 400) String password,
      @Nullable @Size(max = 100) String displayName) {}

  /** A new anonymous session, or a login when the body has an email and a password. */
  @PostMapping(path = "/api/v1/sessions")
  @ResponseStatus(HttpStatus.CREATED)
  Map<String, Object> createSession(
      @Valid @RequestBody(required = false) @Nullable LoginRequest login,
      HttpServletRequest request,
      HttpServletResponse response) {
    if (login == null || (login.email() == null && login.password() == null)) {
      rateLimits.session(request.getRemoteAddr()).applyTo(response);
      return session(accounts.createAnonymous());
    }
    rateLimits.login(request.getRemoteAddr()).applyTo(response);
    if (login.email() == null || login.password() == null) {
      throw new AuthException(400, "invalid_request", "A login needs both email and password.");
    }
    return session(accounts.login(login.email(), login.password()));
  }

  @PostMapping(path = "/api/v1/sessions/refresh", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> refresh(@Valid @RequestBody RefreshRequest request) {
    Tokens.Verified refresh = tokens.verify(request.refreshToken(), Tokens.Type.REFRESH);
    Accounts.UserState state =
        accounts
            .state(refresh.userId())
            .orElseThrow(
                () ->
                    AuthException.unauthenticated("invalid_token", "This user no longer exists."));
    if (state.suspended()) {
      throw AuthException.forbidden("account_suspended", "This account is suspended.");
    }
    return session(refresh.userId());
  }

  /**
   * Creates an account; called with an anonymous session's token, that user becomes the account.
   */
  @PostMapping(path = "/api/v1/accounts", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  Map<String, Object> signUp(
      @Valid @RequestBody SignUpRequest request,
      HttpServletRequest http,
      HttpServletResponse response) {
    rateLimits.session(http.getRemoteAddr()).applyTo(response);
    Caller current = user.callerOrNull();
    UUID id = accounts.signUp(request.email(), request.password(), request.displayName(), current);
    return session(id);
  }

  @GetMapping("/api/v1/me")
  Map<String, Object> me() {
    Caller caller = user.caller();
    Accounts.Profile profile =
        accounts
            .profile(caller.userId())
            .orElseThrow(
                () ->
                    AuthException.unauthenticated("invalid_token", "This user no longer exists."));
    Map<String, Object> me = new LinkedHashMap<>();
    me.put("id", profile.id());
    me.put("kind", profile.kind().wire());
    if (profile.email() != null) {
      me.put("email", profile.email());
    }
    if (profile.displayName() != null) {
      me.put("display_name", profile.displayName());
    }
    if (caller.apiKeyId() != null) {
      me.put("api_key_id", caller.apiKeyId());
    }
    int limit =
        caller.keyMessagesPerMinute() != null
            ? caller.keyMessagesPerMinute()
            : rateLimits.messageLimit(caller);
    me.put("limits", Map.of("messages_per_minute", limit));
    return me;
  }

  /** A ticket for one stream URL (server-sent events, WebSocket), valid for about a minute. */
  @PostMapping("/api/v1/stream-tickets")
  @ResponseStatus(HttpStatus.CREATED)
  Map<String, Object> ticket() {
    Tokens.Issued ticket = tokens.issue(user.id(), Tokens.Type.TICKET);
    return Map.of("ticket", ticket.token(), "expires_in", secondsUntil(ticket));
  }

  private Map<String, Object> session(UUID userId) {
    Tokens.Issued access = tokens.issue(userId, Tokens.Type.ACCESS);
    Tokens.Issued refresh = tokens.issue(userId, Tokens.Type.REFRESH);
    Accounts.Profile profile = accounts.profile(userId).orElseThrow();
    Map<String, Object> who = new LinkedHashMap<>();
    who.put("id", userId);
    who.put("kind", profile.kind().wire());
    if (profile.email() != null) {
      who.put("email", profile.email());
    }
    Map<String, Object> session = new LinkedHashMap<>();
    session.put("access_token", access.token());
    session.put("token_type", "Bearer");
    session.put("expires_in", secondsUntil(access));
    session.put("refresh_token", refresh.token());
    session.put("refresh_expires_in", secondsUntil(refresh));
    session.put("user", who);
    return session;
  }

  private long secondsUntil(Tokens.Issued issued) {
    return Duration.between(clock.instant(), issued.expiresAt()).toSeconds();
  }
}
