package dev.grizz.engine.conversation;

import dev.grizz.engine.config.IdGenerator;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Responses API's stored responses, kept in the conversation graph (migration V15 says how): a
 * chain of responses is a conversation of origin {@code responses}, each response a {@code
 * user_input} step with the items it was sent and an {@code llm} step, whose id is the response's,
 * with the items it answered. A continuation's context is read by walking up the steps, so each
 * item is stored once however long the chain. Every read names the owner: another user's response
 * is as absent as an unknown one.
 *
 * <p>Deleting, counting and exporting them: {@link ResponseChainRecords}.
 */
@Repository
public class ResponseChains {

  private static final String OWNED_RESPONSE =
      """
      from steps s join tasks t on t.id = s.task_id
      where s.id = :id and t.user_id = :user and t.origin = 'responses' and s.type = 'response'
      """;

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final IdGenerator ids;
  private final TransactionTemplate transaction;

  ResponseChains(
      JdbcClient jdbc, JsonMapper json, IdGenerator ids, TransactionTemplate transaction) {
    this.jdbc = jdbc;
    this.json = json;
    this.ids = ids;
    this.transaction = transaction;
  }

  /**
   * A response to keep.
   *
   * @param previousId the response it continued, null for the first of a chain
   * @param input the items it was sent beyond its predecessors' (references replaced)
   * @param response the response object as returned, its output items with it; for a background
   *     response, the queued object (no output yet)
   * @param background for a background response, what the runner needs to answer it (the request as
   *     sent, and the API key it came with); null for a response answered already
   */
  public record Saved(
      UUID id,
      UUID userId,
      @Nullable UUID previousId,
      String model,
      Instant createdAt,
      List<JsonNode> input,
      ObjectNode response,
      @Nullable Background background) {}

  /** A background response's request, kept with its queued step until it is answered. */
  public record Background(JsonNode request, @Nullable UUID apiKeyId) {}

  /**
   * One stored response, its object as it was returned (a background one's as it stands now).
   *
   * @param conversationId the chain's conversation
   * @param background whether it was created in the background (only those can be cancelled)
   */
  public record Stored(
      UUID id,
      UUID conversationId,
      String model,
      Instant createdAt,
      ObjectNode response,
      boolean background,
      Step.StepStatus status) {}

  /** Keeps a response; returns the chain's conversation (a background response's job names it). */
  public UUID save(Saved saved) {
    return java.util.Objects.requireNonNull(transaction.execute(tx -> insert(saved)));
  }

  private UUID insert(Saved saved) {
    UUID taskId =
        saved.previousId() == null
            ? null
            : jdbc.sql("select s.task_id " + OWNED_RESPONSE)
                .param("id", saved.previousId())
                .param("user", saved.userId())
                .query(UUID.class)
                .optional()
                .orElse(null);
    // A continuation of a response deleted while it ran starts a chain of its own.
    UUID parent = taskId == null ? null : saved.previousId();
    if (taskId == null) {
      taskId = ids.next();
      jdbc.sql(
              """
              insert into tasks (id, user_id, status, title, created_at, updated_at, origin)
              values (:id, :user, 'active', :title, :at, :at, 'responses')
              """)
          .param("id", taskId)
          .param("user", saved.userId())
          .param("title", ResponseItems.title(saved.input()))
          .param("at", Rows.timestamp(saved.createdAt()))
          .update();
    }
    ObjectNode response = saved.response().deepCopy();
    ArrayNode output = (ArrayNode) response.path("output");
    // Kept in place (an empty array) so that the object reads back with its fields in order.
    response.putArray("output");
    ObjectNode metadata = json.createObjectNode();
    metadata.put("model", saved.model());
    metadata.set("response", response);
    if (saved.background() != null) {
      metadata.put("background", true);
      metadata.set("request", saved.background().request());
      if (saved.background().apiKeyId() != null) {
        metadata.put("api_key_id", saved.background().apiKeyId().toString());
      }
    }
    jdbc.sql(
            """
            with input as (
              insert into steps (id, task_id, parent_step_id, type, status, created_at, updated_at)
              values (:inputId, :taskId, :parent, 'user_input', 'completed', :at, :at)),
            inputs as (
              insert into messages (id, step_id, role, content, created_at, metadata)
              select gen_random_uuid(), :inputId, e.row ->> 'role', e.row ->> 'text', :at,
                     jsonb_build_object('item', e.row -> 'item', 'seq', e.seq)
              from jsonb_array_elements(cast(:inputItems as jsonb)) with ordinality e(row, seq)),
            answer as (
              insert into steps (id, task_id, parent_step_id, type, status, created_at, updated_at,
                  metadata)
              values (:id, :taskId, :inputId, 'response', :status, :at, :at,
                  cast(:metadata as jsonb))),
            outputs as (
              insert into messages (id, step_id, role, content, created_at, metadata)
              select gen_random_uuid(), :id, e.row ->> 'role', e.row ->> 'text', :at,
                     jsonb_build_object('item', e.row -> 'item', 'seq', e.seq)
              from jsonb_array_elements(cast(:outputItems as jsonb)) with ordinality e(row, seq))
            update tasks set updated_at = :at where id = :taskId
            """)
        .param("inputId", ids.next())
        .param("taskId", taskId)
        .param("parent", parent)
        .param("at", Rows.timestamp(saved.createdAt()))
        .param("inputItems", rows(saved.input()))
        .param("id", saved.id())
        .param(
            "status",
            saved.background() != null ? "queued" : ResponseItems.stepStatus(saved.response()))
        .param("metadata", json.writeValueAsString(metadata))
        .param("outputItems", rows(output == null ? List.of() : toList(output)))
        .update();
    return taskId;
  }

  /**
   * Stores a background response's answer if this attempt still holds its step (a worker that lost
   * its claim keeps nothing); false otherwise.
   */
  public boolean finish(UUID id, int attempt, ObjectNode response) {
    ObjectNode kept = response.deepCopy();
    ArrayNode output = (ArrayNode) kept.path("output");
    kept.putArray("output");
    Boolean finished =
        transaction.execute(
            tx -> {
              int updated =
                  jdbc.sql(
                          """
                          update steps set status = :status, updated_at = now(),
                              metadata = (metadata - 'request')
                                  || jsonb_build_object('response', cast(:response as jsonb))
                          where id = :id and status = 'running'
                            and (metadata ->> 'attempt')::int = :attempt
                          """)
                      .param("id", id)
                      .param("attempt", attempt)
                      .param("status", ResponseItems.stepStatus(kept))
                      .param("response", json.writeValueAsString(kept))
                      .update();
              if (updated == 0) {
                return false;
              }
              jdbc.sql(
                      """
                      insert into messages (id, step_id, role, content, created_at, metadata)
                      select gen_random_uuid(), :id, e.row ->> 'role', e.row ->> 'text', now(),
                             jsonb_build_object('item', e.row -> 'item', 'seq', e.seq)
                      from jsonb_array_elements(cast(:items as jsonb)) with ordinality e(row, seq)
                      """)
                  .param("id", id)
                  .param("items", rows(output == null ? List.of() : toList(output)))
                  .update();
              return true;
            });
    return Boolean.TRUE.equals(finished);
  }

  /** Cancels a background response no worker has taken yet; false when one has. */
  public boolean cancelQueued(UUID id) {
    return jdbc.sql(
                """
                update steps set status = 'cancelled', updated_at = now(),
                    metadata = jsonb_set(metadata - 'request', '{response,status}', '"cancelled"')
                where id = :id and status = 'queued'
                """)
            .param("id", id)
            .update()
        == 1;
  }

  private String rows(List<JsonNode> items) {
    ArrayNode rows = json.createArrayNode();
    for (JsonNode item : items) {
      rows.addObject()
          .put("role", ResponseItems.role(item))
          .put("text", ResponseItems.text(item))
          .set("item", item);
    }
    return json.writeValueAsString(rows);
  }

  private static List<JsonNode> toList(ArrayNode array) {
    List<JsonNode> list = new ArrayList<>(array.size());
    array.forEach(list::add);
    return list;
  }

  /** The user's response {@code id}; empty when it is unknown, deleted or someone else's. */
  public Optional<Stored> find(UUID userId, UUID id) {
    return jdbc.sql(
            """
            select s.id, s.task_id, s.status, s.created_at, s.metadata::text as metadata,
                   (select coalesce(jsonb_agg(m.metadata -> 'item'
                                              order by (m.metadata ->> 'seq')::int), '[]')
                    from messages m where m.step_id = s.id)::text as output
            """
                + OWNED_RESPONSE
                + " and s.metadata -> 'deleted' is null")
        .param("id", id)
        .param("user", userId)
        .query(this::stored)
        .optional();
  }

  private Stored stored(ResultSet rs, int row) throws SQLException {
    JsonNode metadata = json.readTree(rs.getString("metadata"));
    ObjectNode response = (ObjectNode) metadata.path("response").deepCopy();
    response.set("output", json.readTree(rs.getString("output")));
    Step.StepStatus status = Rows.fromWire(Step.StepStatus.class, rs.getString("status"));
    // A background response's object says where it is until its answer replaces it.
    switch (status) {
      case QUEUED -> response.put("status", "queued");
      case RUNNING -> response.put("status", "in_progress");
      default -> {}
    }
    return new Stored(
        rs.getObject("id", UUID.class),
        rs.getObject("task_id", UUID.class),
        metadata.path("model").asString(""),
        rs.getTimestamp("created_at").toInstant(),
        response,
        metadata.path("background").asBoolean(false),
        status);
  }

  /**
   * The items of the response's chain up to it, oldest first: every earlier response's input and
   * output, then its own input, and its own output when {@code withOutput}. Empty when the response
   * is unknown or someone else's (deleted ones included: they are part of their continuations).
   */
  public List<JsonNode> context(UUID userId, UUID id, boolean withOutput) {
    return jdbc.sql(
            """
            with recursive chain (id, parent_step_id, depth) as (
              select s.id, s.parent_step_id, 0
            """
                + OWNED_RESPONSE
                + """
              union all
              select p.id, p.parent_step_id, c.depth + 1
              from steps p join chain c on p.id = c.parent_step_id)
            select m.metadata -> 'item' as item
            from chain c join messages m on m.step_id = c.id
            where c.depth > 0 or :withOutput
            order by c.depth desc, (m.metadata ->> 'seq')::int
            """)
        .param("id", id)
        .param("user", userId)
        .param("withOutput", withOutput)
        .query((rs, row) -> json.readTree(rs.getString("item")))
        .list();
  }
}
