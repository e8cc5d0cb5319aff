package dev.grizz.engine.conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class MessageRepository {

  private final JdbcClient jdbc;

  MessageRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Every message of a task, oldest first. */
  List<Message> forTask(UUID taskId) {
    return jdbc.sql(
            """
            select m.* from messages m join steps s on s.id = m.step_id
            where s.task_id = :taskId
            order by m.created_at, m.id
            """)
        .param("taskId", taskId)
        .query(MessageRepository::map)
        .list();
  }

  List<Message> forStep(UUID stepId) {
    return jdbc.sql("select * from messages where step_id = :id order by created_at, id")
        .param("id", stepId)
        .query(MessageRepository::map)
        .list();
  }

  private static Message map(ResultSet rs, int rowNum) throws SQLException {
    return new Message(
        rs.getObject("id", UUID.class),
        rs.getObject("step_id", UUID.class),
        Rows.fromWire(Message.Role.class, rs.getString("role")),
        rs.getString("content"),
        rs.getObject("token_count", Integer.class),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("reasoning"),
        images(rs.getString("images")));
  }

  private static List<String> images(@org.jspecify.annotations.Nullable String json) {
    if (json == null) {
      return List.of();
    }
    List<String> urls = new java.util.ArrayList<>();
    for (tools.jackson.databind.JsonNode url :
        tools.jackson.databind.json.JsonMapper.shared().readTree(json)) {
      urls.add(url.stringValue());
    }
    return urls;
  }
}
