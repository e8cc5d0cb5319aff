package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The rows of the agent loop: tool steps, their result messages, and the rounds they make. */
@Repository
class ToolStepRepository {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  ToolStepRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  void insert(
      UUID id,
      UUID taskId,
      UUID parentId,
      Step.StepType type,
      Step.StepStatus status,
      Instant at,
      Map<String, Object> metadata) {
    jdbc.sql(
            """
            insert into steps (id, task_id, parent_step_id, type, status, created_at, updated_at,
                metadata)
            values (:id, :task, :parent, :type, :status, :at, :at, cast(:metadata as jsonb))
            """)
        .param("id", id)
        .param("task", taskId)
        .param("parent", parentId)
        .param("type", Rows.wire(type))
        .param("status", Rows.wire(status))
        .param("at", Rows.timestamp(at))
        .param("metadata", Rows.json(json, metadata))
        .update();
  }

  /**
   * Ends a tool step with its result message, in one statement, if it is still where the caller
   * holds it: running under this worker's attempt ({@code worker} set), or in one of {@code from}
   * (for a decision or a cancel made outside any worker). The step's parent (empty inside for none)
   * when it was ended; empty, and nothing written, otherwise.
   */
  Optional<Optional<UUID>> end(
      UUID id,
      @Nullable String worker,
      int attempt,
      List<String> from,
      Step.StepStatus status,
      Map<String, Object> metadata,
      UUID messageId,
      String content,
      Map<String, Object> messageMetadata,
      Instant at) {
    return jdbc.sql(
            """
                with ended as (
                  update steps set status = :status,
                      metadata = metadata || cast(:metadata as jsonb), updated_at = :at
                  where id = :id and type = 'tool'
                    and ((cast(:worker as text) is null and status = any(cast(:from as text[])))
                      or (status = 'running' and metadata ->> 'worker' = cast(:worker as text)
                          and (metadata ->> 'attempt')::int = :attempt))
                  returning id, task_id, parent_step_id),
                result as (
                  insert into messages (id, step_id, role, content, created_at, metadata)
                  select :messageId, id, 'tool', :content, :at, cast(:messageMetadata as jsonb)
                  from ended),
                touched as (
                  update tasks set updated_at = :at where id in (select task_id from ended))
                select id, parent_step_id from ended
                """)
        .param("id", id)
        .param("worker", worker)
        .param("attempt", attempt)
        .param("from", from.toArray(String[]::new))
        .param("status", Rows.wire(status))
        .param("metadata", Rows.json(json, metadata))
        .param("messageId", messageId)
        .param("content", content)
        .param("messageMetadata", Rows.json(json, messageMetadata))
        .param("at", Rows.timestamp(at))
        .query((rs, n) -> Optional.ofNullable(rs.getObject("parent_step_id", UUID.class)))
        .optional();
  }

  /** Where a round stands, read with its asking step locked so two last tools agree on one end. */
  record Round(
      UUID askingStep,
      UUID taskId,
      Map<String, Object> askingMetadata,
      long open,
      long cancelled,
      boolean followedUp) {}

  Optional<Round> lockRound(UUID askingStep) {
    // The lock first, on its own: the counts below must be read in a statement that starts after
    // the lock is held, so they see what another round's last tool committed while this one waited
    // (a statement's snapshot is taken when it starts, even if it then waits for a row lock).
    List<UUID> locked =
        jdbc.sql("select id from steps where id = :id for update")
            .param("id", askingStep)
            .query(UUID.class)
            .list();
    if (locked.isEmpty()) {
      return Optional.empty();
    }
    return jdbc.sql(
            """
            with asking as (select id, task_id, metadata from steps where id = :id)
            select a.id, a.task_id, a.metadata,
                (select count(*) from steps c where c.parent_step_id = a.id and c.type = 'tool'
                   and c.status in ('queued', 'running', 'waiting')) as open,
                (select count(*) from steps c where c.parent_step_id = a.id and c.type = 'tool'
                   and c.status = 'cancelled') as cancelled,
                exists (select 1 from steps c where c.parent_step_id = a.id and c.type = 'llm')
                   as followed
            from asking a
            """)
        .param("id", askingStep)
        .query(
            (rs, n) ->
                new Round(
                    rs.getObject("id", UUID.class),
                    rs.getObject("task_id", UUID.class),
                    Rows.map(json, rs.getString("metadata")),
                    rs.getLong("open"),
                    rs.getLong("cancelled"),
                    rs.getBoolean("followed")))
        .optional();
  }

  /** Waiting tool steps whose approval expired by {@code now}. */
  List<StepRef> expiredApprovals(Instant now, int limit) {
    return jdbc.sql(
            """
            select id, task_id, status from steps
            where status = 'waiting' and type = 'tool'
              and (metadata ->> 'approval_expires_at')::timestamptz <= :now
            order by updated_at limit :limit
            """)
        .param("now", Rows.timestamp(now))
        .param("limit", limit)
        .query(StepRepository::stepRef)
        .list();
  }

  /** The unfinished steps of a conversation (at most one turn's worth). */
  List<StepRef> unfinished(UUID taskId) {
    return jdbc.sql(
            """
            select id, task_id, status from steps
            where task_id = :task and status in ('queued', 'running', 'waiting')
            """)
        .param("task", taskId)
        .query(StepRepository::stepRef)
        .list();
  }

  /** Tool calls made for a user's conversations since {@code since} (the per-user tool budget). */
  long callsSince(UUID userId, Instant since) {
    return jdbc.sql(
            """
            select count(*) from steps s join tasks t on t.id = s.task_id
            where t.user_id = :user and s.type = 'tool' and s.created_at >= :since
            """)
        .param("user", userId)
        .param("since", Rows.timestamp(since))
        .query(Long.class)
        .single();
  }
}
