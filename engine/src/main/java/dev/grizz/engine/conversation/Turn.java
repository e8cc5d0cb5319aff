package dev.grizz.engine.conversation;

import java.util.UUID;

/**
 * The rows written when a user posts a message: the {@code user_input} step and its message, and
 * the {@code llm} step that will hold the answer.
 */
public record Turn(
    UUID conversationId,
    UUID userId,
    UUID userStepId,
    UUID userMessageId,
    UUID stepId,
    boolean duplicate) {}
