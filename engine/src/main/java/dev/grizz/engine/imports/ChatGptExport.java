package dev.grizz.engine.imports;

import dev.grizz.engine.agent.MessageRejectedException;
import dev.grizz.engine.config.IdGenerator;
import dev.grizz.engine.conversation.ImportedConversation;
import dev.grizz.engine.conversation.Message;
import dev.grizz.engine.llm.TokenCounter;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads one conversation of a ChatGPT data export ({@code conversations.json}): {@code mapping} is
 * a tree of nodes (id → {@code message}, {@code parent}, {@code children}); {@code current_node} is
 * the message the user last looked at. The user's and the assistant's text messages become steps
 * under the nearest kept message above them, so branches (an edited message, a regenerated answer)
 * stay siblings. What has no place here is skipped and counted: system messages, tool messages
 * (code runs, browsing), messages that are not text (code, images generated, hidden context) and
 * the non-text parts of a text message (an image sent).
 */
final class ChatGptExport {

  static final String SOURCE = "chatgpt";

  /** The content types whose string parts are a message's text. */
  private static final Set<String> TEXT = Set.of("text", "multimodal_text");

  private final IdGenerator ids;
  private final TokenCounter tokens;
  private final Instant now;
  private final ImportCounts skipped;

  ChatGptExport(IdGenerator ids, TokenCounter tokens, Instant now, ImportCounts skipped) {
    this.ids = ids;
    this.tokens = tokens;
    this.now = now;
    this.skipped = skipped;
  }

  /** A node of the export's tree with its place: the kept node above it and the time before it. */
  private record Visit(String nodeId, @Nullable UUID keptParent, Instant after) {}

  /**
   * The conversation at {@code index} of the export, or null when none of its messages is kept.
   *
   * @throws MessageRejectedException {@code invalid_export} when it is not shaped as an export's
   */
  @Nullable ImportedConversation read(JsonNode conversation, int index) {
    JsonNode mapping = conversation.path("mapping");
    if (!conversation.isObject() || !mapping.isObject()) {
      throw invalid(index, "has no 'mapping' object");
    }
    Instant created = time(conversation.path("create_time"), now);
    String title = title(conversation.path("title"));
    Map<String, JsonNode> nodes = new LinkedHashMap<>();
    mapping.properties().forEach(e -> nodes.put(e.getKey(), e.getValue()));
    Map<String, UUID> kept = new HashMap<>();
    List<ImportedConversation.Node> out = new ArrayList<>();
    // Depth first from the roots (no parent, or a parent the mapping lacks), children in order;
    // a stack, not recursion: a long conversation is thousands of nodes deep.
    Deque<Visit> stack = new ArrayDeque<>();
    List<String> roots = new ArrayList<>();
    nodes.forEach(
        (id, node) -> {
          if (!node.isObject()) {
            throw invalid(index, "has a node '" + id + "' that is not an object");
          }
          String parent = node.path("parent").isString() ? node.path("parent").asString() : null;
          if (parent == null || !nodes.containsKey(parent)) {
            roots.add(id);
          }
        });
    for (int i = roots.size() - 1; i >= 0; i--) {
      stack.push(new Visit(roots.get(i), null, created));
    }
    Set<String> seen = new java.util.HashSet<>();
    Instant last = created;
    while (!stack.isEmpty()) {
      Visit visit = stack.pop();
      if (!seen.add(visit.nodeId())) {
        continue; // a node listed twice (or a cycle) is read once
      }
      JsonNode node = nodes.get(visit.nodeId());
      ImportedConversation.Node step = node(node.path("message"), visit, visit.nodeId());
      UUID parent = visit.keptParent();
      Instant after = visit.after();
      if (step != null) {
        out.add(step);
        kept.put(visit.nodeId(), step.id());
        parent = step.id();
        after = step.at();
        last = after.isAfter(last) ? after : last;
      }
      List<String> children = new ArrayList<>();
      node.path("children").forEach(c -> children.add(c.asString()));
      for (int i = children.size() - 1; i >= 0; i--) {
        if (nodes.containsKey(children.get(i))) {
          stack.push(new Visit(children.get(i), parent, after));
        }
      }
    }
    if (out.isEmpty()) {
      return null;
    }
    Instant updated = time(conversation.path("update_time"), last);
    return new ImportedConversation(
        SOURCE,
        title,
        created,
        updated.isBefore(last) ? last : updated,
        out,
        active(conversation.path("current_node"), nodes, kept));
  }

  /** The step of a node's message, or null when the message is not kept (counted). */
  private ImportedConversation.@Nullable Node node(JsonNode message, Visit visit, String nodeId) {
    if (!message.isObject()) {
      return null; // the tree's root holds no message: structure, not a skipped message
    }
    String role = message.path("author").path("role").asString("");
    switch (role) {
      case "user", "assistant" -> {}
      case "system" -> {
        skipped.system++;
        return null;
      }
      case "tool" -> {
        skipped.tool++;
        return null;
      }
      default -> {
        skipped.otherRoles++;
        return null;
      }
    }
    JsonNode content = message.path("content");
    String type = content.path("content_type").asString("");
    if (!TEXT.contains(type)) {
      skipped.nonTextMessages++;
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content.path("parts")) {
      if (part.isString()) {
        if (!text.isEmpty() && !part.asString().isEmpty()) {
          text.append("\n\n");
        }
        text.append(part.asString());
      } else {
        skipped.nonTextParts++;
      }
    }
    String words = text.toString().strip();
    if (words.isEmpty()) {
      skipped.emptyMessages++;
      return null;
    }
    // Times only go forward down a branch, so the steps' order is the conversation's.
    Instant at = time(message.path("create_time"), visit.after());
    if (!at.isAfter(visit.after())) {
      at = visit.after().plusNanos(1000);
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("imported_node", nodeId);
    String model = message.path("metadata").path("model_slug").asString(null);
    if (role.equals("assistant") && model != null && !model.isBlank()) {
      metadata.put("model", model);
    }
    return new ImportedConversation.Node(
        ids.next(),
        visit.keptParent(),
        role.equals("user") ? Message.Role.USER : Message.Role.ASSISTANT,
        words,
        tokens.count(words),
        at,
        metadata);
  }

  /** The step the shown branch ends at: the current node's, else the nearest kept one above it. */
  private static @Nullable UUID active(
      JsonNode current, Map<String, JsonNode> nodes, Map<String, UUID> kept) {
    String id = current.isString() ? current.asString() : null;
    Set<String> walked = new java.util.HashSet<>();
    while (id != null && nodes.containsKey(id) && walked.add(id)) {
      UUID step = kept.get(id);
      if (step != null) {
        return step;
      }
      JsonNode parent = nodes.get(id).path("parent");
      id = parent.isString() ? parent.asString() : null;
    }
    return null;
  }

  private static String title(JsonNode title) {
    String text = title.isString() ? title.asString().strip() : "";
    if (text.isEmpty()) {
      return "Imported conversation";
    }
    return text.length() > 200 ? text.substring(0, 200) : text;
  }

  /** Seconds since the epoch (with a fraction), as the export writes times; else {@code or}. */
  private static Instant time(JsonNode seconds, Instant or) {
    // Past the year 3000 is not a time an export writes (and would overflow an Instant).
    if (!seconds.isNumber() || !(seconds.asDouble() >= 0 && seconds.asDouble() < 32_503_680_000d)) {
      return or;
    }
    double value = seconds.asDouble();
    long whole = (long) Math.floor(value);
    // Microseconds: what PostgreSQL keeps.
    long micros = Math.round((value - whole) * 1_000_000);
    return Instant.ofEpochSecond(whole, micros * 1000);
  }

  static MessageRejectedException invalid(int index, String why) {
    return new MessageRejectedException(
        "invalid_export",
        "This is not a ChatGPT export's conversations.json: conversation "
            + index
            + " "
            + why
            + ".");
  }
}
