package dev.grizz.engine.conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Shares of conversations: each a token and the snapshot it serves. */
@Repository
class ShareRepository {

  private final JdbcClient jdbc;

  ShareRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(Share share, String snapshotJson) {
    jdbc.sql(
            """
            insert into shares (id, task_id, user_id, token, snapshot, created_at)
            values (:id, :task, :user, :token, cast(:snapshot as jsonb), :at)
            """)
        .param("id", share.id())
        .param("task", share.conversationId())
        .param("user", share.userId())
        .param("token", share.token())
        .param("snapshot", snapshotJson)
        .param("at", Rows.timestamp(share.createdAt()))
        .update();
  }

  List<Share> forTask(UUID userId, UUID taskId) {
    return jdbc.sql(
            """
            select id, task_id, user_id, token, created_at from shares
            where task_id = :task and user_id = :user order by created_at, id
            """)
        .param("task", taskId)
        .param("user", userId)
        .query(ShareRepository::map)
        .list();
  }

  List<Share> forUser(UUID userId) {
    return jdbc.sql(
            """
            select id, task_id, user_id, token, created_at from shares
            where user_id = :user order by created_at, id
            """)
        .param("user", userId)
        .query(ShareRepository::map)
        .list();
  }

  boolean delete(UUID userId, UUID taskId, UUID id) {
    return jdbc.sql("delete from shares where id = :id and task_id = :task and user_id = :user")
            .param("id", id)
            .param("task", taskId)
            .param("user", userId)
            .update()
        == 1;
  }

  /** The snapshot a token serves, as stored JSON. */
  Optional<String> snapshot(String token) {
    return jdbc.sql("select snapshot::text from shares where token = :token")
        .param("token", token)
        .query(String.class)
        .optional();
  }

  private static Share map(ResultSet rs, int rowNum) throws SQLException {
    return new Share(
        rs.getObject("id", UUID.class),
        rs.getObject("task_id", UUID.class),
        rs.getObject("user_id", UUID.class),
        rs.getString("token"),
        rs.getTimestamp("created_at").toInstant());
  }
}
