package dev.grizz.engine.moderation;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The policy violation log. */
@Service
public class ViolationLog {

  private final JdbcClient jdbc;

  ViolationLog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A user's violations, as stored, for an export. */
  @Transactional(readOnly = true)
  public List<Map<String, Object>> forUser(UUID userId) {
    return jdbc.sql(
            """
            select id, content, categories::text as categories, scores::text as scores,
                "timestamp", reviewed, action_taken
            from policy_violations where user_id = :u order by "timestamp"
            """)
        .param("u", userId)
        .query()
        .listOfRows();
  }

  /** Deletes violations logged before {@code before} (retention). */
  @Transactional
  public int deleteOlderThan(java.time.Instant before) {
    return jdbc.sql("delete from policy_violations where \"timestamp\" < :before")
        .param("before", java.sql.Timestamp.from(before))
        .update();
  }

  /**
   * Erases what a user wrote from the log: the content goes and the link to the user is cut; the
   * categories, scores and actions stay as anonymous statistics.
   */
  @Transactional
  public int eraseUser(UUID userId) {
    return jdbc.sql(
            "update policy_violations set content = null, user_id = null where user_id = :u")
        .param("u", userId)
        .update();
  }
}
