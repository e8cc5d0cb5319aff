package dev.grizz.engine.memory;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One thing a user's assistant remembers: what it says, who wrote it ({@code user} or {@code
 * model}), whether it is {@code active} or {@code proposed} (waiting for the user's yes), and the
 * conversation and step that proposed it, if any.
 */
public record Memory(
    UUID id,
    String content,
    String source,
    String status,
    @Nullable UUID conversationId,
    @Nullable UUID stepId,
    Instant createdAt,
    Instant updatedAt) {

  public static final String ACTIVE = "active";
  public static final String PROPOSED = "proposed";
  public static final String BY_USER = "user";
  public static final String BY_MODEL = "model";
}
