package dev.grizz.engine.responses;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The responses the Responses API stored: each one's context (every input item it answered, earlier
 * responses' included) and the response object as returned. Every read and delete names the owner,
 * so another user's response is as absent as an unknown one.
 */
@Service
public class StoredResponses {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  StoredResponses(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** One stored response. */
  public record Stored(
      UUID id, UUID userId, String model, Instant createdAt, JsonNode context, JsonNode response) {}

  public void save(Stored stored) {
    jdbc.sql(
            """
            insert into responses (id, user_id, model, created_at, context, response)
            values (:id, :user, :model, :at, cast(:context as jsonb), cast(:response as jsonb))
            """)
        .param("id", stored.id())
        .param("user", stored.userId())
        .param("model", stored.model())
        .param("at", Timestamp.from(stored.createdAt()))
        .param("context", json.writeValueAsString(stored.context()))
        .param("response", json.writeValueAsString(stored.response()))
        .update();
  }

  /** The user's response {@code id}; empty when it is unknown or someone else's. */
  public Optional<Stored> find(UUID userId, UUID id) {
    return jdbc.sql(
            """
            select id, user_id, model, created_at, context::text as context,
                   response::text as response
            from responses where id = :id and user_id = :user
            """)
        .param("id", id)
        .param("user", userId)
        .query(this::row)
        .optional();
  }

  /** Deletes the user's response {@code id}; false when there was none of theirs. */
  public boolean delete(UUID userId, UUID id) {
    return jdbc.sql("delete from responses where id = :id and user_id = :user")
            .param("id", id)
            .param("user", userId)
            .update()
        > 0;
  }

  /** Deletes every response of the user (an erasure); returns how many went. */
  public int deleteAll(UUID userId) {
    return jdbc.sql("delete from responses where user_id = :user").param("user", userId).update();
  }

  /** Deletes responses created before {@code before} (retention); returns how many went. */
  public int deleteOlderThan(Instant before) {
    return jdbc.sql("delete from responses where created_at < :before")
        .param("before", Timestamp.from(before))
        .update();
  }

  /** Everything kept of the user's responses, newest first, for an export. */
  public List<Map<String, Object>> export(UUID userId) {
    return jdbc
        .sql(
            """
            select id, user_id, model, created_at, context::text as context,
                   response::text as response
            from responses where user_id = :user order by created_at desc, id desc
            """)
        .param("user", userId)
        .query(this::row)
        .list()
        .stream()
        .map(
            stored -> {
              Map<String, Object> exported = new LinkedHashMap<>();
              exported.put("id", stored.id());
              exported.put("model", stored.model());
              exported.put("created_at", stored.createdAt());
              exported.put("input", stored.context());
              exported.put("response", stored.response());
              return exported;
            })
        .toList();
  }

  private Stored row(ResultSet rs, int row) throws SQLException {
    return new Stored(
        rs.getObject("id", UUID.class),
        rs.getObject("user_id", UUID.class),
        rs.getString("model"),
        rs.getTimestamp("created_at").toInstant(),
        json.readTree(rs.getString("context")),
        json.readTree(rs.getString("response")));
  }
}
