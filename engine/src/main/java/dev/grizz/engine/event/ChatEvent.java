package dev.grizz.engine.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One event of a conversation's stream, before it has an id. {@code seq} increases by one within a
 * step, so a client can drop duplicates and see gaps whatever transport delivered it.
 */
public record ChatEvent(
    EventType type,
    UUID conversationId,
    UUID taskId,
    UUID stepId,
    long seq,
    Instant ts,
    Map<String, Object> data) {}
