package dev.grizz.engine.moderation;

import dev.grizz.engine.audit.AuditLog;
import dev.grizz.engine.security.Accounts;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Whether a user is suspended ({@code users.suspended_at}). A suspension comes from reviewing a
 * violation ({@link ViolationLog#review}); lifting it is an admin action of its own. Both are
 * audited. Both tell every pod at commit ({@link Accounts#forget}), which then refuses (or again
 * accepts) the user's tokens and closes their open sockets.
 */
@Service
public class Suspensions {

  private final JdbcClient jdbc;
  private final AuditLog audit;
  private final Accounts accounts;
  private final Clock clock;

  Suspensions(JdbcClient jdbc, AuditLog audit, Accounts accounts, Clock clock) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.accounts = accounts;
    this.clock = clock;
  }

  /** Whether the user is suspended; false for a user that does not exist. */
  @Transactional(readOnly = true)
  public boolean isSuspended(UUID userId) {
    return jdbc.sql("select suspended_at is not null from users where id = :id")
        .param("id", userId)
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  /**
   * Lifts a suspension. Returns false (and audits nothing) when the user was not suspended or does
   * not exist.
   */
  @Transactional
  public boolean unsuspend(UUID userId, UUID adminId) {
    int lifted =
        jdbc.sql("update users set suspended_at = null where id = :id and suspended_at is not null")
            .param("id", userId)
            .update();
    if (lifted == 0) {
      return false;
    }
    audit.record(adminId, "user.unsuspend", "user", userId.toString(), Map.of());
    accounts.forget(userId);
    return true;
  }

  /**
   * Suspends a user because of a violation, inside the caller's transaction. A user already
   * suspended keeps the original time; the action is audited either way.
   */
  void suspend(UUID userId, @Nullable UUID actorId, UUID violationId) {
    int found =
        jdbc.sql("update users set suspended_at = coalesce(suspended_at, :at) where id = :id")
            .param("at", Timestamp.from(clock.instant()))
            .param("id", userId)
            .update();
    if (found > 0) {
      audit.record(
          actorId,
          "user.suspend",
          "user",
          userId.toString(),
          Map.of("violation_id", violationId.toString()));
      accounts.forget(userId);
    }
  }
}
