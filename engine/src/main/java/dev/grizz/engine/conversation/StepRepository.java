package dev.grizz.engine.conversation;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
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

  /**
   * What a new turn needs to know, read in one statement: the turns so far and the leaf of the
   * active branch (the newest step, not a tool call or summary, under the task's active step; with
   * none stored, the task's newest such step).
   */
  record TurnState(long userTurns, @Nullable UUID latestStep) {}

  TurnState turnState(UUID taskId) {
    return jdbc.sql(
            """
            select (select count(*) from steps where task_id = :task and type = 'user_input') as turns,
                   coalesce(
                     (with recursive sub(id, created_at) as (
                        select s.id, s.created_at from steps s join tasks t
                          on t.id = :task and s.id = t.active_step_id and s.task_id = t.id
                        union all
                        select c.id, c.created_at from steps c join sub
                          on c.parent_step_id = sub.id where c.type not in ('tool', 'summary'))
                      select id from sub order by created_at desc, id desc limit 1),
                     (select id from steps where task_id = :task and type not in ('tool', 'summary')
                      order by created_at desc, id desc limit 1)) as latest
            """)
        .param("task", taskId)
        .query((rs, n) -> new TurnState(rs.getLong("turns"), rs.getObject("latest", UUID.class)))
        .single();
  }

  /**
   * Writes a turn in one statement (one round trip instead of four): the user's input step, its
   * message, the answer step after it, and the task's activity time and active step (the new
   * answer). Foreign keys are checked at the end of the statement, so the message may name the step
   * inserted beside it.
   */
  void insertTurn(Step input, Message message, Step answer) {
    jdbc.sql(
            """
            with input as (
              insert into steps (id, task_id, parent_step_id, type, status, created_at, updated_at,
                  metadata)
              values (:inputId, :taskId, :inputParent, 'user_input', 'completed', :at, :at,
                  cast(:inputMetadata as jsonb))),
            message as (
              insert into messages (id, step_id, role, content, token_count, created_at, images)
              values (:messageId, :inputId, 'user', :content, :tokenCount, :at,
                  cast(:images as jsonb))),
            answer as (
              insert into steps (id, task_id, parent_step_id, type, status, created_at, updated_at,
                  metadata)
              values (:answerId, :taskId, :inputId, 'llm', :answerStatus, :at, :at,
                  cast(:answerMetadata as jsonb)))
            update tasks set updated_at = :at, active_step_id = :answerId where id = :taskId
            """)
        .param("inputId", input.id())
        .param("taskId", input.taskId())
        .param("inputParent", input.parentStepId())
        .param("at", Rows.timestamp(input.createdAt()))
        .param("inputMetadata", Rows.json(json, input.metadata()))
        .param("messageId", message.id())
        .param("content", message.content())
        .param("tokenCount", message.tokenCount())
        .param(
            "images", message.images().isEmpty() ? null : json.writeValueAsString(message.images()))
        .param("answerId", answer.id())
        .param("answerStatus", Rows.wire(answer.status()))
        .param("answerMetadata", Rows.json(json, answer.metadata()))
        .update();
  }

  Optional<Step> find(UUID id) {
    return jdbc.sql("select * from steps where id = :id")
        .param("id", id)
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

  /**
   * Stores a step's end if this worker's claim still holds, in one statement: the step's result,
   * its answer message ({@code answer}, when there is one) and, with {@code activity}, the task's
   * activity time. False, and nothing written, when the claim was lost.
   */
  boolean finish(
      UUID id,
      StepResult result,
      Instant at,
      String worker,
      int attempt,
      @Nullable Message answer,
      boolean activity) {
    return jdbc.sql(
                """
                with finished as (
                  update steps set status = :status, provider = :provider,
                      prompt_tokens = :promptTokens, completion_tokens = :completionTokens,
                      usage_cents = :usageCents, prompt_hash = :promptHash,
                      metadata = metadata || cast(:metadata as jsonb), updated_at = :at
                  where id = :id and status in ('queued', 'running')
                    and metadata ->> 'worker' = :worker
                    and (metadata ->> 'attempt')::int = :attempt
                  returning id, task_id),
                answer as (
                  insert into messages
                      (id, step_id, role, content, token_count, created_at, reasoning, metadata)
                  select :messageId, id, 'assistant', :content, :tokenCount, :at, :reasoning,
                      cast(:messageMetadata as jsonb)
                  from finished where cast(:messageId as uuid) is not null),
                touched as (
                  update tasks set updated_at = :at
                  where :activity and id in (select task_id from finished))
                select count(*) from finished
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
            .param("worker", worker)
            .param("attempt", attempt)
            .param("activity", activity)
            .param("messageId", answer == null ? null : answer.id())
            .param("content", answer == null ? null : answer.content())
            .param("tokenCount", answer == null ? null : answer.tokenCount())
            .param("reasoning", answer == null ? null : answer.reasoning())
            .param(
                "messageMetadata",
                answer == null ? "{}" : Rows.json(json, MessageRepository.metadata(answer)))
            .query(Long.class)
            .single()
        == 1;
  }

  /**
   * Takes a step for a worker: a queued one, or a running one whose worker has not beaten for
   * {@code staleBefore}. Exactly one concurrent caller wins.
   */
  Optional<ClaimedStep> claim(UUID id, String worker, Instant staleBefore, Instant at) {
    return jdbc.sql(
            """
            update steps s set status = 'running', updated_at = :at,
                metadata = s.metadata || jsonb_build_object(
                    'worker', cast(:worker as text),
                    'attempt', coalesce((s.metadata ->> 'attempt')::int, 0) + 1)
            from tasks t
            where s.id = :id and t.id = s.task_id
              and s.type in ('llm', 'tool', 'response', 'summary')
              and (s.status = 'queued' or (s.status = 'running' and s.updated_at < :staleBefore))
            returning s.id, s.type, s.task_id, t.user_id,
                coalesce(s.metadata ->> 'model', s.metadata ->> 'name', '') as model,
                (s.metadata ->> 'api_key_id')::uuid as api_key_id,
                (s.metadata ->> 'attempt')::int as attempt, s.metadata
            """)
        .param("id", id)
        .param("worker", worker)
        .param("staleBefore", Rows.timestamp(staleBefore))
        .param("at", Rows.timestamp(at))
        .query(
            (rs, n) ->
                new ClaimedStep(
                    rs.getObject("id", UUID.class),
                    Rows.fromWire(Step.StepType.class, rs.getString("type")),
                    rs.getObject("task_id", UUID.class),
                    rs.getObject("user_id", UUID.class),
                    rs.getString("model"),
                    worker,
                    rs.getInt("attempt"),
                    rs.getInt("attempt") > 1,
                    rs.getObject("api_key_id", UUID.class),
                    Rows.map(json, rs.getString("metadata"))))
        .optional();
  }

  /** The attempt that last claimed the step (0 before any), if the step exists. */
  Optional<Integer> attempt(UUID id) {
    return jdbc.sql("select coalesce((metadata ->> 'attempt')::int, 0) from steps where id = :id")
        .param("id", id)
        .query(Integer.class)
        .optional();
  }

  /** The owner's heartbeat; false when the step is no longer running under this owner. */
  boolean heartbeat(UUID id, String worker, int attempt, Instant at) {
    return jdbc.sql(
                """
                update steps set updated_at = :at
                where id = :id and status = 'running' and metadata ->> 'worker' = :worker
                  and (metadata ->> 'attempt')::int = :attempt
                """)
            .param("id", id)
            .param("worker", worker)
            .param("attempt", attempt)
            .param("at", Rows.timestamp(at))
            .update()
        == 1;
  }

  long countQueued() {
    return jdbc.sql("select count(*) from steps where status = 'queued' and type = 'llm'")
        .query(Long.class)
        .single();
  }

  /** Unfinished llm and tool steps not touched since {@code before}: their job may be lost. */
  List<StepRef> stale(Instant before, int limit) {
    return jdbc.sql(
            """
            select id, task_id, status from steps
            where status in ('queued', 'running') and type in ('llm', 'tool', 'response', 'summary')
              and updated_at < :before
            order by updated_at limit :limit
            """)
        .param("before", Rows.timestamp(before))
        .param("limit", limit)
        .query(StepRepository::stepRef)
        .list();
  }

  /** The step, if it belongs to this user's conversation. */
  Optional<StepRef> findOwned(UUID userId, UUID conversationId, UUID stepId) {
    return jdbc.sql(
            """
            select s.id, s.task_id, s.status from steps s join tasks t on t.id = s.task_id
            where s.id = :id and s.task_id = :task and t.user_id = :user
            """)
        .param("id", stepId)
        .param("task", conversationId)
        .param("user", userId)
        .query(StepRepository::stepRef)
        .optional();
  }

  Optional<Step> latestOfType(UUID taskId, Step.StepType type) {
    return jdbc.sql(
            """
            select * from steps where task_id = :taskId and type = :type
            order by created_at desc, id desc limit 1
            """)
        .param("taskId", taskId)
        .param("type", Rows.wire(type))
        .query(this::map)
        .optional();
  }

  /** The user_input step a client already sent with this client_msg_id, if any. */
  Optional<Step> findByClientMessageId(UUID taskId, String clientMessageId) {
    return jdbc.sql(
            """
            select * from steps where task_id = :taskId and metadata ->> 'client_msg_id' = :c
            """)
        .param("taskId", taskId)
        .param("c", clientMessageId)
        .query(this::map)
        .optional();
  }

  /** The answer step that follows a user_input step. */
  Optional<Step> child(UUID parentId) {
    return jdbc.sql("select * from steps where parent_step_id = :id order by created_at limit 1")
        .param("id", parentId)
        .query(this::map)
        .optional();
  }

  static StepRef stepRef(ResultSet rs, int rowNum) throws SQLException {
    return new StepRef(
        rs.getObject("id", UUID.class),
        rs.getObject("task_id", UUID.class),
        Rows.fromWire(Step.StepStatus.class, rs.getString("status")));
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
