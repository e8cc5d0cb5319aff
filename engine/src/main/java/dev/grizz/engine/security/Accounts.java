package dev.grizz.engine.security;

import dev.grizz.engine.config.ComputedAfterStartUp;
import dev.grizz.engine.config.IdGenerator;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Users who can sign in: anonymous users made per browser session, accounts with an email and a
 * hashed password ({@link Passwords}), and admins. Also answers, for every authenticated request
 * and open stream, whether the user may still act: not suspended, not erased ({@link UserStates}).
 */
@Service
public class Accounts {

  static final int MIN_PASSWORD = 10;
  static final int MAX_PASSWORD = 200;
  private static final Pattern EMAIL =
      Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s]{1,63}");

  /** What is checked on every request: the user's kind now, and whether they are suspended. */
  public record UserState(UserKind kind, boolean suspended) {}

  /** A user's public profile. */
  public record Profile(
      UUID id, UserKind kind, @Nullable String email, @Nullable String displayName) {}

  private final JdbcClient jdbc;
  private final IdGenerator ids;
  private final Clock clock;
  private final Passwords passwords = new Passwords();
  // Hash compared against when the email is unknown, so a login takes as long either way (bcrypt is
  // slow on purpose).
  private final ComputedAfterStartUp<String> decoyHash =
      new ComputedAfterStartUp<>(
          "decoy-hash", () -> passwords.hash("decoy password, never matches"));
  private final UserStates states;

  Accounts(JdbcClient jdbc, IdGenerator ids, UserStates states, Clock clock) {
    this.jdbc = jdbc;
    this.ids = ids;
    this.states = states;
    this.clock = clock;
  }

  @EventListener(ApplicationReadyEvent.class)
  void hashTheDecoyAfterStartUp() {
    decoyHash.start();
  }

  @Transactional
  public UUID createAnonymous() {
    UUID id = ids.next();
    jdbc.sql("insert into users (id, kind, created_at) values (:id, 'anonymous', :at)")
        .param("id", id)
        .param("at", Timestamp.from(clock.instant()))
        .update();
    return id;
  }

  /**
   * Creates an account. When {@code upgrading} is an anonymous user, that user becomes the account
   * and keeps its conversations.
   */
  @Transactional
  public UUID signUp(
      String email, String password, @Nullable String displayName, @Nullable Caller upgrading) {
    String normalized = checkEmail(email);
    checkPassword(password);
    String hash = passwords.hash(password);
    try {
      if (upgrading != null && upgrading.anonymous()) {
        jdbc.sql(
                """
                update users set kind = 'user', email = :email, password_hash = :hash,
                    display_name = :name
                where id = :id and kind = 'anonymous'
                """)
            .param("email", normalized)
            .param("hash", hash)
            .param("name", displayName)
            .param("id", upgrading.userId())
            .update();
        states.forgetHere(upgrading.userId());
        return upgrading.userId();
      }
      UUID id = ids.next();
      jdbc.sql(
              """
              insert into users (id, kind, email, password_hash, display_name, created_at)
              values (:id, 'user', :email, :hash, :name, :at)
              """)
          .param("id", id)
          .param("email", normalized)
          .param("hash", hash)
          .param("name", displayName)
          .param("at", Timestamp.from(clock.instant()))
          .update();
      return id;
    } catch (DuplicateKeyException e) {
      throw new AuthException(409, "email_taken", "An account with this email already exists.");
    }
  }

  /**
   * The account with this email and password.
   *
   * @throws AuthException 401 {@code invalid_credentials}, 403 {@code account_suspended}
   */
  @Transactional
  public UUID login(String email, String password) {
    Optional<Map<String, Object>> row =
        jdbc
            .sql(
                "select id, password_hash, suspended_at from users where lower(email) = lower(:email)")
            .param("email", email.strip())
            .query()
            .listOfRows()
            .stream()
            .findFirst();
    String hash = row.map(r -> (String) r.get("password_hash")).orElse(null);
    boolean matches = passwords.matches(password, hash != null ? hash : decoyHash.get());
    if (row.isEmpty() || hash == null || !matches) {
      throw AuthException.unauthenticated("invalid_credentials", "Wrong email or password.");
    }
    if (row.get().get("suspended_at") != null) {
      throw suspended();
    }
    UUID id = (UUID) row.get().get("id");
    if (passwords.outdated(hash)) {
      // The one moment the password is known: a hash of the old generation is replaced (one more
      // bcrypt, once per account).
      jdbc.sql("update users set password_hash = :hash where id = :id and password_hash = :old")
          .param("hash", passwords.hash(password))
          .param("id", id)
          .param("old", hash)
          .update();
    }
    return id;
  }

  /** Makes sure an admin account with this email exists (start-up setting). */
  @Transactional
  public UUID ensureAdmin(String email, String password) {
    String normalized = checkEmail(email);
    checkPassword(password);
    String hash = passwords.hash(password);
    int updated =
        jdbc.sql(
                "update users set kind = 'admin', password_hash = :hash where lower(email) = lower(:email)")
            .param("hash", hash)
            .param("email", normalized)
            .update();
    if (updated == 0) {
      UUID id = ids.next();
      jdbc.sql(
              """
              insert into users (id, kind, email, password_hash, display_name, created_at)
              values (:id, 'admin', :email, :hash, 'admin', :at)
              """)
          .param("id", id)
          .param("email", normalized)
          .param("hash", hash)
          .param("at", Timestamp.from(clock.instant()))
          .update();
    }
    states.forgetHere(null);
    return jdbc.sql("select id from users where lower(email) = lower(:email)")
        .param("email", normalized)
        .query(UUID.class)
        .single();
  }

  /**
   * The user's kind and suspension, at most a few seconds old; empty if the user is gone or erased.
   */
  public Optional<UserState> state(UUID userId) {
    return states.get(userId);
  }

  /**
   * Why this user may no longer act, or empty if they may: 401 {@code invalid_token} for a user
   * that is gone or erased, 403 {@code account_suspended}. At most a few seconds old.
   */
  public Optional<AuthException> refusal(UUID userId) {
    Optional<UserState> state = states.get(userId);
    if (state.isEmpty()) {
      return Optional.of(
          AuthException.unauthenticated("invalid_token", "This user no longer exists."));
    }
    return state.get().suspended() ? Optional.of(suspended()) : Optional.empty();
  }

  /** Reads these users' states afresh (open streams are re-checked this way on a timer). */
  public void refresh(Collection<UUID> userIds) {
    states.refresh(userIds);
  }

  /**
   * Calls {@code listener} on this pod whenever a user's state may have changed on any pod, with
   * the user's id; it runs on a broadcast thread and must return quickly.
   */
  public void onStateChange(Consumer<UUID> listener) {
    states.onChange(listener);
  }

  /**
   * Erases what identifies a person (email, name, password) and ends their sessions: the account
   * can no longer sign in, its tokens are refused as a missing user's are, and its id stays only as
   * the owner of nothing. Returns whether there was a user.
   */
  @Transactional
  public boolean eraseProfile(UUID userId) {
    int updated =
        jdbc.sql(
                """
                update users set email = null, display_name = null, password_hash = null,
                    erased_at = coalesce(erased_at, :at)
                where id = :id
                """)
            .param("at", Timestamp.from(clock.instant()))
            .param("id", userId)
            .update();
    // Its tokens and open sockets end with it, on every pod.
    states.changed(userId);
    return updated == 1;
  }

  /**
   * Deletes anonymous users made before {@code before} who own no conversation and no stored
   * response chain (retention): a browser that came once leaves nothing behind. Returns how many.
   */
  @Transactional
  public int deleteIdleAnonymous(Instant before) {
    int deleted =
        jdbc.sql(
                """
                delete from users u where u.kind = 'anonymous' and u.created_at < :before
                  and not exists (select 1 from tasks t where t.user_id = u.id)
                """)
            .param("before", Timestamp.from(before))
            .update();
    if (deleted > 0) {
      states.forgetHere(null);
    }
    return deleted;
  }

  /**
   * Tells every pod that the user's state changed (a suspension, or its lifting): each forgets its
   * cached state and re-checks the user's open sockets. Called in a transaction, this happens once
   * it commits.
   */
  public void forget(UUID userId) {
    states.changed(userId);
  }

  public Optional<Profile> profile(UUID userId) {
    return jdbc.sql("select id, kind, email, display_name from users where id = :id")
        .param("id", userId)
        .query(
            (rs, n) ->
                new Profile(
                    rs.getObject("id", UUID.class),
                    UserKind.fromWire(rs.getString("kind")),
                    rs.getString("email"),
                    rs.getString("display_name")))
        .optional();
  }

  static AuthException suspended() {
    return AuthException.forbidden(
        "account_suspended", "This account is suspended; contact the operator of this service.");
  }

  private static String checkEmail(String email) {
    String normalized = email.strip().toLowerCase(Locale.ROOT);
    if (normalized.length() > 254 || !EMAIL.matcher(normalized).matches()) {
      throw new AuthException(400, "invalid_email", "That is not an email address.");
    }
    return normalized;
  }

  private static void checkPassword(String password) {
    if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
      throw new AuthException(
          400,
          "weak_password",
          "Use a password of " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters.");
    }
  }
}
