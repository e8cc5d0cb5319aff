package dev.grizz.engine.conversation;

import dev.grizz.engine.config.IdGenerator;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Deleting a response that others continued hides it (it cannot be read or continued) but keeps
 * its items, which are part of its continuations' context; they go with the last of those.
 */
@Repository
public class ResponseChains {

  private static final String OWNED_RESPONSE =
      """
      from steps s join tasks t on t.id = s.task_id
      where s.id = :id and t.user_id = :user and t.origin = 'responses' and s.type = 'llm'
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
   * @param response the response object as returned, its output items with it
   */
  public record Saved(
      UUID id,
      UUID userId,
      @Nullable UUID previousId,
      String model,
      Instant createdAt,
      List<JsonNode> input,
      ObjectNode response) {}

  /** One stored response, its object as it was returned. */
  public record Stored(UUID id, String model, Instant createdAt, ObjectNode response) {}

  public void save(Saved saved) {
    transaction.executeWithoutResult(tx -> insert(saved));
  }

  private void insert(Saved saved) {
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
              values (:id, :taskId, :inputId, 'llm', :status, :at, :at,
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
        .param("status", ResponseItems.stepStatus(saved.response()))
        .param("metadata", json.writeValueAsString(metadata))
        .param("outputItems", rows(output == null ? List.of() : toList(output)))
        .update();
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
            select s.id, s.created_at, s.metadata::text as metadata,
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
    return new Stored(
        rs.getObject("id", UUID.class),
        metadata.path("model").asString(""),
        rs.getTimestamp("created_at").toInstant(),
        response);
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

  /**
   * Deletes the user's response {@code id}; false when there was none of theirs. One that others
   * continued is hidden instead (see the class comment); a hidden predecessor left with no
   * continuation goes with it, and the chain's conversation with its last response.
   */
  public boolean delete(UUID userId, UUID id) {
    Boolean deleted =
        transaction.execute(
            tx -> {
              if (find(userId, id).isEmpty()) {
                return false;
              }
              UUID current = id;
              while (current != null) {
                current = deleteOrHide(current);
              }
              return true;
            });
    return Boolean.TRUE.equals(deleted);
  }

  /** Deletes or hides one response; returns its hidden predecessor to look at next, or null. */
  private @Nullable UUID deleteOrHide(UUID id) {
    boolean continued =
        jdbc.sql("select exists (select 1 from steps where parent_step_id = :id)")
            .param("id", id)
            .query(Boolean.class)
            .single();
    if (continued) {
      jdbc.sql(
              "update steps set metadata = metadata || '{\"deleted\": true}'::jsonb where id = :id")
          .param("id", id)
          .update();
      return null;
    }
    Map<String, Object> row =
        jdbc.sql(
                """
                select i.id as input, i.task_id as task, p.id as previous,
                       coalesce(p.metadata -> 'deleted' is not null, false) as previous_hidden
                from steps s join steps i on i.id = s.parent_step_id
                left join steps p on p.id = i.parent_step_id
                where s.id = :id
                """)
            .param("id", id)
            .query()
            .singleRow();
    // The input step's cascade takes the answer step and both steps' messages.
    jdbc.sql("delete from steps where id = :input").param("input", row.get("input")).update();
    jdbc.sql(
            "delete from tasks where id = :task and not exists (select 1 from steps where task_id ="
                + " :task)")
        .param("task", row.get("task"))
        .update();
    return Boolean.TRUE.equals(row.get("previous_hidden")) ? (UUID) row.get("previous") : null;
  }

  /** How many responses the user has stored (an erasure reports it). */
  public int count(UUID userId) {
    return jdbc.sql(
            """
            select count(*) from steps s join tasks t on t.id = s.task_id
            where t.user_id = :user and t.origin = 'responses' and s.type = 'llm'
              and s.metadata -> 'deleted' is null
            """)
        .param("user", userId)
        .query(Integer.class)
        .single();
  }

  private List<JsonNode> ownInput(UUID id) {
    return jdbc.sql(
            """
            select m.metadata -> 'item' as item
            from steps s join messages m on m.step_id = s.parent_step_id
            where s.id = :id order by (m.metadata ->> 'seq')::int
            """)
        .param("id", id)
        .query((rs, row) -> json.readTree(rs.getString("item")))
        .list();
  }

  /**
   * The user's stored responses, newest first, each with the items it was sent beyond its
   * predecessors', for an export (deleted ones that others continued included, marked so).
   */
  public List<Map<String, Object>> export(UUID userId) {
    List<UUID> owned =
        jdbc.sql(
                """
                select s.id from steps s join tasks t on t.id = s.task_id
                where t.user_id = :user and t.origin = 'responses' and s.type = 'llm'
                order by s.created_at desc, s.id desc
                """)
            .param("user", userId)
            .query(UUID.class)
            .list();
    List<Map<String, Object>> exported = new ArrayList<>();
    for (UUID id : owned) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", id);
      entry.put("input", ownInput(id));
      find(userId, id)
          .ifPresentOrElse(
              found -> {
                entry.put("model", found.model());
                entry.put("created_at", found.createdAt());
                entry.put("response", found.response());
              },
              () -> entry.put("deleted", true));
      exported.add(entry);
    }
    return exported;
  }
}
