package dev.grizz.engine.mcp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The {@code user_mcp_servers} table: a user's servers, their header values encrypted. */
@Component
class UserMcpServerRows {

  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};

  /** One stored server; {@code headersEncrypted} is null when it has no headers. */
  record Row(
      UUID id,
      UUID userId,
      String name,
      String url,
      List<String> headerNames,
      @Nullable String headersEncrypted,
      Instant createdAt) {}

  private final JdbcClient jdbc;
  private final JsonMapper json;

  UserMcpServerRows(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  void insert(Row row) {
    jdbc.sql(
            """
            insert into user_mcp_servers
                (id, user_id, name, url, header_names, headers_encrypted, created_at)
            values (:id, :user, :name, :url, cast(:names as jsonb), :headers, :at)
            """)
        .param("id", row.id())
        .param("user", row.userId())
        .param("name", row.name())
        .param("url", row.url())
        .param("names", json.writeValueAsString(row.headerNames()))
        .param("headers", row.headersEncrypted())
        .param("at", Timestamp.from(row.createdAt()))
        .update();
  }

  List<Row> forUser(UUID userId) {
    return jdbc.sql(
            """
            select id, user_id, name, url, header_names, headers_encrypted, created_at
            from user_mcp_servers where user_id = :user order by created_at, id
            """)
        .param("user", userId)
        .query(this::row)
        .list();
  }

  boolean nameTaken(UUID userId, String name) {
    return jdbc.sql("select count(*) from user_mcp_servers where user_id = :user and name = :name")
            .param("user", userId)
            .param("name", name)
            .query(Long.class)
            .single()
        > 0;
  }

  long count(UUID userId) {
    return jdbc.sql("select count(*) from user_mcp_servers where user_id = :user")
        .param("user", userId)
        .query(Long.class)
        .single();
  }

  boolean delete(UUID userId, UUID id) {
    return jdbc.sql("delete from user_mcp_servers where user_id = :user and id = :id")
            .param("user", userId)
            .param("id", id)
            .update()
        > 0;
  }

  List<UUID> deleteAll(UUID userId) {
    return jdbc.sql("delete from user_mcp_servers where user_id = :user returning id")
        .param("user", userId)
        .query(UUID.class)
        .list();
  }

  private Row row(ResultSet rs, int n) throws SQLException {
    return new Row(
        rs.getObject("id", UUID.class),
        rs.getObject("user_id", UUID.class),
        rs.getString("name"),
        rs.getString("url"),
        json.readValue(rs.getString("header_names"), NAMES),
        rs.getString("headers_encrypted"),
        rs.getTimestamp("created_at").toInstant());
  }
}
