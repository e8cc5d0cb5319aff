package dev.grizz.engine.conversation;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An {@code llm} or {@code tool} step a worker now owns ({@code model} is a tool step's tool name).
 * {@code attempt} counts takes of the step; {@code restarted} says an earlier worker had begun it
 * and went silent; {@code apiKeyId} is the key the message was sent with, billed along with the
 * user; {@code metadata} is the step's as claimed (a tool step's call, an answer's tool round),
 * read in the claim's own statement.
 */
public record ClaimedStep(
    UUID stepId,
    Step.StepType type,
    UUID conversationId,
    UUID userId,
    String model,
    String worker,
    int attempt,
    boolean restarted,
    @Nullable UUID apiKeyId,
    java.util.Map<String, Object> metadata) {

  public ClaimedStep {
    metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
  }
}
