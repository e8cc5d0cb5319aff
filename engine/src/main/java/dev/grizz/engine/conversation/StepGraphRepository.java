package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The branches of a task's step graph: its active step, the leaf under a step, a turn's question
 * and whether the turn still runs.
 */
@Repository
class StepGraphRepository {

  /**
   * The newest step under {@code :start}, itself included, going down through steps that are
   * neither tool calls nor summaries (side steps of the step above them): the leaf of that branch.
   * The newest such step has no such children (they would be newer), so it is a leaf.
   */
  static final String LEAF_UNDER =
      """
      with recursive sub(id, created_at) as (
        select id, created_at from steps where id = :start and task_id = :task
        union all
        select c.id, c.created_at from steps c join sub on c.parent_step_id = sub.id
        where c.type not in ('tool', 'summary'))
      select id from sub order by created_at desc, id desc limit 1
      """;

  private final JdbcClient jdbc;
  private final JsonMapper json;

  StepGraphRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** The step the task last moved to, as stored (null before its first turn). */
  @Nullable UUID activeStep(UUID taskId) {
    return jdbc.sql("select active_step_id from tasks where id = :task")
        .param("task", taskId)
        .query((rs, n) -> rs.getObject(1, UUID.class))
        .optional()
        .orElse(null);
  }

  /**
   * The leaf under a step of the task (see {@link #LEAF_UNDER}); empty when it is not the task's.
   */
  Optional<UUID> leafUnder(UUID taskId, UUID stepId) {
    return jdbc.sql(LEAF_UNDER)
        .param("start", stepId)
        .param("task", taskId)
        .query(UUID.class)
        .optional();
  }

  /** Moves the task's active step; the task's activity time is left as it is. */
  void setActive(UUID taskId, UUID stepId) {
    jdbc.sql("update tasks set active_step_id = :step where id = :task")
        .param("task", taskId)
        .param("step", stepId)
        .update();
  }

  /** The nearest {@code user_input} step at or above the step: the turn it belongs to. */
  Optional<UUID> turnInput(UUID stepId) {
    return jdbc.sql(
            """
            with recursive up(id, parent, type, depth) as (
              select id, parent_step_id, type, 0 from steps where id = :step
              union all
              select s.id, s.parent_step_id, s.type, up.depth + 1
              from steps s join up on s.id = up.parent where up.type <> 'user_input')
            select id from up where type = 'user_input' order by depth limit 1
            """)
        .param("step", stepId)
        .query(UUID.class)
        .optional();
  }

  /** Whether any step under {@code stepId} (the turn's steps) has not finished. */
  boolean unfinishedUnder(UUID stepId) {
    return jdbc.sql(
            """
            with recursive sub(id, status) as (
              select id, status from steps where id = :step
              union all
              select c.id, c.status from steps c join sub on c.parent_step_id = sub.id
              where c.type not in ('user_input', 'summary'))
            select exists (select 1 from sub where status in ('queued', 'running', 'waiting'))
            """)
        .param("step", stepId)
        .query(Boolean.class)
        .single();
  }

  /** Adds a queued answer step under {@code parentId} and makes it the task's active step. */
  void insertAnswer(UUID id, UUID taskId, UUID parentId, Instant at, Map<String, Object> metadata) {
    jdbc.sql(
            """
            with answer as (
              insert into steps (id, task_id, parent_step_id, type, status, created_at,
                  updated_at, metadata)
              values (:id, :task, :parent, 'llm', 'queued', :at, :at, cast(:metadata as jsonb)))
            update tasks set active_step_id = :id, updated_at = :at where id = :task
            """)
        .param("id", id)
        .param("task", taskId)
        .param("parent", parentId)
        .param("at", Rows.timestamp(at))
        .param("metadata", Rows.json(json, metadata))
        .update();
  }
}
