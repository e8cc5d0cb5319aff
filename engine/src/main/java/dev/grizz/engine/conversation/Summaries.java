package dev.grizz.engine.conversation;

import dev.grizz.engine.config.IdGenerator;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rolling summaries, stored as {@code summary} steps. A summary is a child of the last step it
 * covers, so it belongs to the branch through that step: an answer uses the newest finished summary
 * whose parent is on its own path, and only the messages below that parent. A summary condenses the
 * one before it (if any) and the turns after it, so they chain.
 */
@Service
public class Summaries {

  private final JdbcClient jdbc;
  private final MessageRepository messages;
  private final JsonMapper json;
  private final IdGenerator ids;
  private final Clock clock;

  Summaries(
      JdbcClient jdbc, MessageRepository messages, JsonMapper json, IdGenerator ids, Clock clock) {
    this.jdbc = jdbc;
    this.messages = messages;
    this.json = json;
    this.ids = ids;
    this.clock = clock;
  }

  /**
   * A finished summary: its step, the step it covers up to, its text, and how many steps up from
   * the step asked about that covered step is ({@code depth}).
   */
  public record StoredSummary(UUID stepId, UUID coveredStepId, String text, int depth) {}

  /** What an answer at a step stands on: the summary it starts from, then the newer messages. */
  public record PathContext(@Nullable StoredSummary summary, List<Message> messages) {}

  /** The newest finished summary on {@code stepId}'s path and the messages after it. */
  public PathContext context(UUID stepId) {
    Optional<StoredSummary> summary = latest(stepId);
    int below = summary.map(StoredSummary::depth).orElse(Integer.MAX_VALUE);
    return new PathContext(summary.orElse(null), messages.forPath(stepId, below));
  }

  /** The newest finished summary whose parent is on {@code stepId}'s path (itself included). */
  public Optional<StoredSummary> latest(UUID stepId) {
    return jdbc.sql(
            """
            with recursive path(id, parent, depth) as (
              select id, parent_step_id, 0 from steps where id = :step
              union all
              select s.id, s.parent_step_id, p.depth + 1 from steps s join path p on s.id = p.parent)
            select sm.id, sm.parent_step_id, p.depth, m.content
            from steps sm join path p on sm.parent_step_id = p.id
            join messages m on m.step_id = sm.id
            where sm.type = 'summary' and sm.status = 'completed'
            order by p.depth, sm.created_at desc limit 1
            """)
        .param("step", stepId)
        .query(
            (rs, n) ->
                new StoredSummary(
                    rs.getObject("id", UUID.class),
                    rs.getObject("parent_step_id", UUID.class),
                    rs.getString("content"),
                    rs.getInt("depth")))
        .optional();
  }

  /**
   * Queues a summary of the turns up to {@code coveredStepId}, unless the conversation has one
   * queued or running already (one at a time: the next turn's end asks again).
   *
   * @return the new summary step, or empty when one is already under way
   */
  public Optional<UUID> open(
      UUID conversationId, UUID coveredStepId, @Nullable UUID apiKeyId, Map<String, Object> meta) {
    Map<String, Object> metadata = new java.util.LinkedHashMap<>(meta);
    if (apiKeyId != null) {
      metadata.put("api_key_id", apiKeyId.toString());
    }
    UUID id = ids.next();
    var at = Rows.timestamp(clock.instant().truncatedTo(ChronoUnit.MICROS));
    int inserted =
        jdbc.sql(
                """
                insert into steps (id, task_id, parent_step_id, type, status, created_at,
                    updated_at, metadata)
                select :id, :task, :parent, 'summary', 'queued', :at, :at, cast(:meta as jsonb)
                where not exists (select 1 from steps where task_id = :task and type = 'summary'
                                  and status in ('queued', 'running'))
                """)
            .param("id", id)
            .param("task", conversationId)
            .param("parent", coveredStepId)
            .param("at", at)
            .param("meta", Rows.json(json, metadata))
            .update();
    return inserted == 1 ? Optional.of(id) : Optional.empty();
  }

  /** The step's parent, if it has one. */
  public Optional<UUID> parentOf(UUID stepId) {
    return jdbc.sql("select parent_step_id from steps where id = :id")
        .param("id", stepId)
        .query((rs, n) -> Optional.ofNullable(rs.getObject(1, UUID.class)))
        .optional()
        .flatMap(parent -> parent);
  }
}
