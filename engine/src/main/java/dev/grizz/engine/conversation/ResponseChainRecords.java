package dev.grizz.engine.conversation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deleting, counting and exporting the responses {@link ResponseChains} keeps. Deleting a response
 * that others continued hides it (it cannot be read or continued) but keeps its items, which are
 * part of its continuations' context; they go with the last of those.
 */
@Repository
public class ResponseChainRecords {

  private final ResponseChains chains;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final TransactionTemplate transaction;

  ResponseChainRecords(
      ResponseChains chains, JdbcClient jdbc, JsonMapper json, TransactionTemplate transaction) {
    this.chains = chains;
    this.jdbc = jdbc;
    this.json = json;
    this.transaction = transaction;
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
              if (chains.find(userId, id).isEmpty()) {
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
            where t.user_id = :user and t.origin = 'responses' and s.type = 'response'
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
                where t.user_id = :user and t.origin = 'responses' and s.type = 'response'
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
      chains
          .find(userId, id)
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
