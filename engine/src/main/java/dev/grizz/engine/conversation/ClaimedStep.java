package dev.grizz.engine.conversation;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An {@code llm} step a worker now owns. {@code attempt} counts takes of the step; {@code
 * restarted} says an earlier worker had begun it and went silent; {@code apiKeyId} is the key the
 * message was sent with, billed along with the user.
 */
public record ClaimedStep(
    UUID stepId,
    UUID conversationId,
    UUID userId,
    String model,
    String worker,
    int attempt,
    boolean restarted,
    @Nullable UUID apiKeyId) {}
