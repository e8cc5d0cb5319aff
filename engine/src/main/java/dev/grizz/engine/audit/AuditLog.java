package dev.grizz.engine.audit;

import dev.grizz.engine.config.IdGenerator;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log: who did what to whom. Every admin action and every erasure or export is written
 * here, inside the caller's transaction when there is one.
 */
@Service
public class AuditLog {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;
  private final IdGenerator ids;
  private final Clock clock;

  AuditLog(JdbcClient jdbc, IdGenerator ids, Clock clock) {
    this.jdbc = jdbc;
    this.ids = ids;
    this.clock = clock;
  }

  /**
   * Records one action. {@code actorId} is null for the engine itself (a scheduled job, a command);
   * {@code details} must hold JSON-serialisable values.
   */
  public void record(
      @Nullable Object actorId,
      String action,
      String targetType,
      String targetId,
      Map<String, ?> details) {
    jdbc.sql(
            """
            insert into audit_log (id, actor_id, action, target_type, target_id, details, created_at)
            values (:id, :actor, :action, :type, :target, cast(:details as jsonb), :at)
            """)
        .param("id", ids.next())
        .param("actor", actorId)
        .param("action", action)
        .param("type", targetType)
        .param("target", targetId)
        .param("details", JSON.writeValueAsString(details))
        .param("at", Timestamp.from(clock.instant()))
        .update();
  }
}
