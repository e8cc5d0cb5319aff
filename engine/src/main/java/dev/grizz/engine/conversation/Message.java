package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A message of a conversation, hanging off the step that produced it. */
public record Message(
    UUID id,
    UUID stepId,
    Role role,
    String content,
    @Nullable Integer tokenCount,
    Instant createdAt) {

  /** Who wrote a message. */
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL
  }
}
