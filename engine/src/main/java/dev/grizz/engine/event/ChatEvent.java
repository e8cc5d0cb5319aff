package dev.grizz.engine.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One event of a conversation's stream, before it has an id. {@code seq} increases by one within a
 * step, so a client can drop duplicates and see gaps whatever transport delivered it; {@code
 * attempt} is the attempt of the step that wrote it (a restart's {@code step.restarted} raises it,
 * and no event of an earlier attempt follows).
 */
public record ChatEvent(
    EventType type,
    UUID conversationId,
    UUID taskId,
    UUID stepId,
    long seq,
    int attempt,
    Instant ts,
    Map<String, Object> data) {}
