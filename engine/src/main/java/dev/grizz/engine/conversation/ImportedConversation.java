package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A conversation read from another service's export, ready to store: its messages as a tree, each
 * one a step (a user's an input, an assistant's a finished answer) under the message before it, so
 * branches are sibling steps as an edit or a regenerate makes them here.
 *
 * @param source where it came from ({@code chatgpt})
 * @param nodes parents before their children
 * @param activeNode the node the shown branch ends at (the export's current message); null: the
 *     last node
 */
public record ImportedConversation(
    String source,
    String title,
    Instant createdAt,
    Instant updatedAt,
    List<Node> nodes,
    @Nullable UUID activeNode) {

  public ImportedConversation {
    nodes = List.copyOf(nodes);
  }

  /**
   * One message and its step.
   *
   * @param parent the node before it; null: a first message
   * @param metadata the step's metadata ({@code model} of an answer, the source's node id)
   */
  public record Node(
      UUID id,
      @Nullable UUID parent,
      Message.Role role,
      String content,
      int tokenCount,
      Instant at,
      Map<String, Object> metadata) {

    public Node {
      metadata = Map.copyOf(metadata);
    }
  }
}
