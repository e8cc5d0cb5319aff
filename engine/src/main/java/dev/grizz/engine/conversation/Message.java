package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A message of a conversation, hanging off the step that produced it; an answer of a thinking model
 * keeps the reasoning that led to it.
 */
public record Message(
    UUID id,
    UUID stepId,
    Role role,
    String content,
    @Nullable Integer tokenCount,
    Instant createdAt,
    @Nullable String reasoning) {

  /** A message without reasoning (every message but a thinking model's answer). */
  public Message(
      UUID id,
      UUID stepId,
      Role role,
      String content,
      @Nullable Integer tokenCount,
      Instant createdAt) {
    this(id, stepId, role, content, tokenCount, createdAt, null);
  }

  /** Who wrote a message. */
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL
  }
}
