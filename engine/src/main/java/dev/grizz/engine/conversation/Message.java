package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A message of a conversation, hanging off the step that produced it; an answer of a thinking model
 * keeps the reasoning that led to it; a user's message may hold images (https: or data: URLs); an
 * assistant message may call tools ({@code toolCalls}), with its vendor's signed reasoning ({@code
 * thinking}, see {@link StoredThinking}), and a {@code tool} message answers the call {@code
 * toolCallId}.
 */
public record Message(
    UUID id,
    UUID stepId,
    Role role,
    String content,
    @Nullable Integer tokenCount,
    Instant createdAt,
    @Nullable String reasoning,
    List<String> images,
    List<StoredToolCall> toolCalls,
    @Nullable String toolCallId,
    List<StoredThinking> thinking) {

  public Message {
    images = List.copyOf(images);
    toolCalls = List.copyOf(toolCalls);
    thinking = List.copyOf(thinking);
  }

  /** A message that neither makes nor answers tool calls. */
  public Message(
      UUID id,
      UUID stepId,
      Role role,
      String content,
      @Nullable Integer tokenCount,
      Instant createdAt,
      @Nullable String reasoning,
      List<String> images) {
    this(
        id,
        stepId,
        role,
        content,
        tokenCount,
        createdAt,
        reasoning,
        images,
        List.of(),
        null,
        List.of());
  }

  /** A message without reasoning or images. */
  public Message(
      UUID id,
      UUID stepId,
      Role role,
      String content,
      @Nullable Integer tokenCount,
      Instant createdAt) {
    this(id, stepId, role, content, tokenCount, createdAt, null, List.of());
  }

  /** Who wrote a message. */
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL
  }
}
