package dev.grizz.engine.conversation;

import java.util.UUID;

/** A step and the conversation it belongs to. */
public record StepRef(UUID stepId, UUID conversationId, Step.StepStatus status) {}
