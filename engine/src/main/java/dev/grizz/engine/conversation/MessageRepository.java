package dev.grizz.engine.conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

  /**
   * The messages a step stands on, oldest first: those of its ancestors (itself included) and of
   * the tool steps those ancestors ran. Siblings (other versions of an answer, other branches of an
   * edited message) are not on the path. Only steps fewer than {@code belowDepth} steps up from
   * {@code stepId} count (0 is the step itself): those further up are covered by a summary.
   */
  List<Message> forPath(UUID stepId, int belowDepth) {
    return jdbc.sql(
            """
            with recursive path(id, parent, depth) as (
              select id, parent_step_id, 0 from steps where id = :step
              union all
              select s.id, s.parent_step_id, p.depth + 1 from steps s join path p on s.id = p.parent
              where p.depth + 1 < :below),
            on_path(id) as (
              select id from path
              union all
              select c.id from steps c join path p on c.parent_step_id = p.id
              where c.type = 'tool')
            select m.* from messages m where m.step_id in (select id from on_path)
            order by m.created_at, m.id
            """)
        .param("step", stepId)
        .param("below", belowDepth)
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
    JsonNode metadata = metadataOf(rs.getString("metadata"));
    JsonNode callId = metadata.path("tool_call_id");
    return new Message(
        rs.getObject("id", UUID.class),
        rs.getObject("step_id", UUID.class),
        Rows.fromWire(Message.Role.class, rs.getString("role")),
        rs.getString("content"),
        rs.getObject("token_count", Integer.class),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("reasoning"),
        images(rs.getString("images")),
        toolCalls(metadata),
        callId.isString() ? callId.stringValue() : null,
        thinking(metadata));
  }

  /**
   * What a message keeps in its metadata: the tool calls it makes, or the call it answers, and the
   * signed reasoning that led to them.
   */
  static Map<String, Object> metadata(Message message) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (!message.toolCalls().isEmpty()) {
      metadata.put(
          "tool_calls",
          message.toolCalls().stream()
              .map(c -> Map.of("id", c.id(), "name", c.name(), "arguments", c.arguments()))
              .toList());
    }
    if (message.toolCallId() != null) {
      metadata.put("tool_call_id", message.toolCallId());
    }
    if (!message.thinking().isEmpty()) {
      metadata.put(
          "thinking",
          message.thinking().stream()
              .map(
                  block ->
                      block.redacted()
                          ? Map.of("redacted", block.text())
                          : Map.of("thinking", block.text(), "signature", block.signature()))
              .toList());
    }
    return metadata;
  }

  private static List<StoredThinking> thinking(JsonNode metadata) {
    List<StoredThinking> blocks = new ArrayList<>();
    for (JsonNode block : metadata.path("thinking")) {
      blocks.add(
          block.has("redacted")
              ? new StoredThinking(block.path("redacted").asString(""), null)
              : new StoredThinking(
                  block.path("thinking").asString(""), block.path("signature").asString("")));
    }
    return blocks;
  }

  private static JsonNode metadataOf(@Nullable String json) {
    // Most messages carry none: "{}" is not worth a parse.
    return json == null || json.equals("{}")
        ? JsonMapper.shared().missingNode()
        : JsonMapper.shared().readTree(json);
  }

  private static List<StoredToolCall> toolCalls(JsonNode metadata) {
    List<StoredToolCall> calls = new ArrayList<>();
    for (JsonNode call : metadata.path("tool_calls")) {
      calls.add(
          new StoredToolCall(
              call.path("id").asString(""),
              call.path("name").asString(""),
              call.path("arguments").asString("")));
    }
    return calls;
  }

  private static List<String> images(@Nullable String json) {
    if (json == null) {
      return List.of();
    }
    List<String> urls = new ArrayList<>();
    for (JsonNode url : JsonMapper.shared().readTree(json)) {
      urls.add(url.stringValue());
    }
    return urls;
  }
}
