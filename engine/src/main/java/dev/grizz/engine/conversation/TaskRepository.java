package dev.grizz.engine.conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class TaskRepository {

  private final JdbcClient jdbc;

  TaskRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(Conversation task) {
    jdbc.sql(
            """
            insert into tasks (id, user_id, status, title, created_at, updated_at, settings)
            values (:id, :userId, :status, :title, :createdAt, :updatedAt, cast(:settings as jsonb))
            """)
        .param("id", task.id())
        .param("userId", task.userId())
        .param("status", Rows.wire(task.status()))
        .param("title", task.title())
        .param("createdAt", Rows.timestamp(task.createdAt()))
        .param("updatedAt", Rows.timestamp(task.updatedAt()))
        .param("settings", SettingsJson.write(task.settings()))
        .update();
  }

  boolean updateSettings(UUID userId, UUID id, ConversationSettings settings, Instant at) {
    return jdbc.sql(
                """
                update tasks set settings = cast(:settings as jsonb), updated_at = :at
                where id = :id and user_id = :userId
                """)
            .param("id", id)
            .param("userId", userId)
            .param("settings", SettingsJson.write(settings))
            .param("at", Rows.timestamp(at))
            .update()
        == 1;
  }

  /** The settings of a conversation whatever its owner (a worker answering it); none if gone. */
  ConversationSettings settings(UUID id) {
    return jdbc.sql("select settings::text from tasks where id = :id")
        .param("id", id)
        .query(String.class)
        .optional()
        .map(SettingsJson::read)
        .orElse(ConversationSettings.NONE);
  }

  /** The user's task, locked for update so concurrent turns on it serialise. */
  Optional<Conversation> findForUpdate(UUID userId, UUID id) {
    return jdbc.sql("select * from tasks where id = :id and user_id = :userId for update")
        .param("id", id)
        .param("userId", userId)
        .query(TaskRepository::map)
        .optional();
  }

  Optional<Conversation> find(UUID userId, UUID id) {
    return jdbc.sql("select * from tasks where id = :id and user_id = :userId")
        .param("id", id)
        .param("userId", userId)
        .query(TaskRepository::map)
        .optional();
  }

  /** Up to {@code limit} tasks after the keyset position, most recently active first. */
  List<Conversation> page(
      UUID userId, int limit, @Nullable Instant afterUpdatedAt, @Nullable UUID afterId) {
    if (afterUpdatedAt == null || afterId == null) {
      return jdbc.sql(
              """
              select * from tasks where user_id = :userId and origin = 'chat'
              order by updated_at desc, id desc limit :limit
              """)
          .param("userId", userId)
          .param("limit", limit)
          .query(TaskRepository::map)
          .list();
    }
    return jdbc.sql(
            """
            select * from tasks
            where user_id = :userId and origin = 'chat' and (updated_at, id) < (:updatedAt, :id)
            order by updated_at desc, id desc limit :limit
            """)
        .param("userId", userId)
        .param("updatedAt", Rows.timestamp(afterUpdatedAt))
        .param("id", afterId)
        .param("limit", limit)
        .query(TaskRepository::map)
        .list();
  }

  boolean rename(UUID userId, UUID id, String title, Instant at) {
    return jdbc.sql(
                "update tasks set title = :title, updated_at = :at where id = :id and user_id = :userId")
            .param("id", id)
            .param("userId", userId)
            .param("title", title)
            .param("at", Rows.timestamp(at))
            .update()
        == 1;
  }

  List<UUID> allIds(UUID userId) {
    return jdbc.sql(
            "select id from tasks where user_id = :u and origin = 'chat' order by created_at")
        .param("u", userId)
        .query(UUID.class)
        .list();
  }

  List<UUID> inactiveSince(Instant before) {
    return jdbc.sql("select id from tasks where updated_at < :before")
        .param("before", Rows.timestamp(before))
        .query(UUID.class)
        .list();
  }

  int deleteByIds(List<UUID> ids) {
    return jdbc.sql("delete from tasks where id in (:ids)").param("ids", ids).update();
  }

  int deleteAll(UUID userId) {
    return jdbc.sql("delete from tasks where user_id = :u").param("u", userId).update();
  }

  boolean delete(UUID userId, UUID id) {
    return jdbc.sql("delete from tasks where id = :id and user_id = :userId")
            .param("id", id)
            .param("userId", userId)
            .update()
        == 1;
  }

  private static Conversation map(ResultSet rs, int rowNum) throws SQLException {
    return new Conversation(
        rs.getObject("id", UUID.class),
        rs.getObject("user_id", UUID.class),
        rs.getString("title"),
        Rows.fromWire(Conversation.TaskStatus.class, rs.getString("status")),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        SettingsJson.read(rs.getString("settings")));
  }
}
