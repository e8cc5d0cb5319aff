package dev.grizz.engine.conversation;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

@Repository
class StepRepository {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  StepRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  void insert(Step step) {
    jdbc.sql(
            """
            insert into steps (id, task_id, parent_step_id, type, status, provider, prompt_tokens,
                completion_tokens, usage_cents, prompt_hash, created_at, updated_at, metadata)
            values (:id, :taskId, :parentStepId, :type, :status, :provider, :promptTokens,
                :completionTokens, :usageCents, :promptHash, :createdAt, :updatedAt,
                cast(:metadata as jsonb))
            """)
        .param("id", step.id())
        .param("taskId", step.taskId())
        .param("parentStepId", step.parentStepId())
        .param("type", Rows.wire(step.type()))
        .param("status", Rows.wire(step.status()))
        .param("provider", step.provider())
        .param("promptTokens", step.promptTokens())
        .param("completionTokens", step.completionTokens())
        .param("usageCents", step.usageCents())
        .param("promptHash", step.promptHash())
        .param("createdAt", Rows.timestamp(step.createdAt()))
        .param("updatedAt", Rows.timestamp(step.updatedAt()))
        .param("metadata", Rows.json(json, step.metadata()))
        .update();
  }

  Optional<Step> find(UUID id) {
    return jdbc.sql("select * from steps where id = :id")
        .param("id", id)
        .query(this::map)
        .optional();
  }

  Optional<Step> latest(UUID taskId) {
    return jdbc.sql(
            "select * from steps where task_id = :taskId order by created_at desc, id desc limit 1")
        .param("taskId", taskId)
        .query(this::map)
        .optional();
  }

  List<Step> forTask(UUID taskId) {
    return jdbc.sql("select * from steps where task_id = :taskId order by created_at, id")
        .param("taskId", taskId)
        .query(this::map)
        .list();
  }

  /** Moves a step from one status to another; false when it was not in {@code from}. */
  boolean transition(UUID id, Step.StepStatus from, Step.StepStatus to, Instant at) {
    return jdbc.sql(
                """
                update steps set status = :to, updated_at = :at
                where id = :id and status = :from
                """)
            .param("id", id)
            .param("from", Rows.wire(from))
            .param("to", Rows.wire(to))
            .param("at", Rows.timestamp(at))
            .update()
        == 1;
  }

  /** Stores a finished step's accounting; only a step not yet finished is updated. */
  boolean finish(UUID id, StepResult result, Instant at) {
    return jdbc.sql(
                """
                update steps set status = :status, provider = :provider,
                    prompt_tokens = :promptTokens, completion_tokens = :completionTokens,
                    usage_cents = :usageCents, prompt_hash = :promptHash,
                    metadata = metadata || cast(:metadata as jsonb), updated_at = :at
                where id = :id and status in ('queued', 'running')
                """)
            .param("id", id)
            .param("status", Rows.wire(result.status()))
            .param("provider", result.provider())
            .param("promptTokens", result.promptTokens())
            .param("completionTokens", result.completionTokens())
            .param("usageCents", result.usageCents())
            .param("promptHash", result.promptHash())
            .param("metadata", Rows.json(json, result.metadata()))
            .param("at", Rows.timestamp(at))
            .update()
        == 1;
  }

  private Step map(ResultSet rs, int rowNum) throws SQLException {
    return new Step(
        rs.getObject("id", UUID.class),
        rs.getObject("task_id", UUID.class),
        rs.getObject("parent_step_id", UUID.class),
        Rows.fromWire(Step.StepType.class, rs.getString("type")),
        Rows.fromWire(Step.StepStatus.class, rs.getString("status")),
        rs.getString("provider"),
        rs.getObject("prompt_tokens", Integer.class),
        rs.getObject("completion_tokens", Integer.class),
        rs.getObject("usage_cents", BigDecimal.class),
        rs.getString("prompt_hash"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        Rows.map(json, rs.getString("metadata")));
  }
}
