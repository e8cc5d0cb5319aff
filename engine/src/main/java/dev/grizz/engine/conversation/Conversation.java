package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.UUID;

/** A conversation: one task of a user, with its own settings. */
public record Conversation(
    UUID id,
    UUID userId,
    String title,
    TaskStatus status,
    Instant createdAt,
    Instant updatedAt,
    ConversationSettings settings) {

  /** Lifecycle of a task. */
  public enum TaskStatus {
    ACTIVE,
    ARCHIVED
  }
}
