package dev.grizz.engine.conversation;

import dev.grizz.engine.config.IdGenerator;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores conversations read from another service's export: a task marked with its source, one
 * finished step and one message per node (in batches: an export holds thousands), and the shown
 * branch. Nothing is queued: an imported answer is never run.
 */
@Service
public class ConversationImports {

  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final IdGenerator ids;

  ConversationImports(JdbcTemplate jdbc, JsonMapper json, IdGenerator ids) {
    this.jdbc = jdbc;
    this.json = json;
    this.ids = ids;
  }

  /** Stores one conversation of the user's; returns its id. */
  @Transactional
  public UUID store(UUID userId, ImportedConversation conversation) {
    UUID id = ids.next();
    List<ImportedConversation.Node> nodes = conversation.nodes();
    UUID active =
        conversation.activeNode() != null
            ? conversation.activeNode()
            : nodes.isEmpty() ? null : nodes.getLast().id();
    jdbc.update(
        """
        insert into tasks (id, user_id, status, title, created_at, updated_at, imported_from)
        values (?, ?, 'active', ?, ?, ?, ?)
        """,
        id,
        userId,
        conversation.title(),
        Timestamp.from(conversation.createdAt()),
        Timestamp.from(conversation.updatedAt()),
        conversation.source());
    List<Object[]> steps = new ArrayList<>(nodes.size());
    List<Object[]> messages = new ArrayList<>(nodes.size());
    for (ImportedConversation.Node node : nodes) {
      Timestamp at = Timestamp.from(node.at());
      String type = node.role() == Message.Role.USER ? "user_input" : "llm";
      steps.add(
          new Object[] {
            node.id(), id, node.parent(), type, at, at, Rows.json(json, node.metadata())
          });
      messages.add(
          new Object[] {
            ids.next(), node.id(), Rows.wire(node.role()), node.content(), node.tokenCount(), at
          });
    }
    jdbc.batchUpdate(
        """
        insert into steps (id, task_id, parent_step_id, type, status, created_at, updated_at,
            metadata)
        values (?, ?, ?, ?, 'completed', ?, ?, cast(? as jsonb))
        """,
        steps);
    jdbc.batchUpdate(
        """
        insert into messages (id, step_id, role, content, token_count, created_at)
        values (?, ?, ?, ?, ?, ?)
        """,
        messages);
    jdbc.update("update tasks set active_step_id = ? where id = ?", active, id);
    return id;
  }
}
