package dev.grizz.engine.event;

import java.time.Instant;
import java.util.UUID;

/**
 * One event of a conversation's stream, before it has an id. {@code seq} increases by one within a
 * step, so a client can drop duplicates and see gaps whatever transport delivered it; {@code
 * attempt} is the attempt of the step that wrote it (a restart's {@code step.restarted} raises it,
 * and no event of an earlier attempt follows). Its {@code type} is its data's.
 */
public record ChatEvent(
    UUID conversationId,
    UUID taskId,
    UUID stepId,
    long seq,
    int attempt,
    Instant ts,
    EventData data) {

  /** The event's {@code type} on the wire. */
  public String type() {
    return data.type();
  }
}
