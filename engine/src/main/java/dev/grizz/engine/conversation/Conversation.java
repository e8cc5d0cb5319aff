package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.UUID;

/** A conversation: one task of a user. */
public record Conversation(
    UUID id, UUID userId, String title, TaskStatus status, Instant createdAt, Instant updatedAt) {

  /** Lifecycle of a task. */
  public enum TaskStatus {
    ACTIVE,
    ARCHIVED
  }
}
