package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A user's rating of an answer ({@code up}, {@code down} or none) with an optional comment. */
public record Feedback(@Nullable String rating, @Nullable String comment, Instant updatedAt) {

  /** Feedback as an admin lists it: on which answer, of which user, from which model. */
  public record Given(
      UUID stepId,
      UUID conversationId,
      UUID userId,
      @Nullable String provider,
      @Nullable String model,
      Feedback feedback) {}
}
