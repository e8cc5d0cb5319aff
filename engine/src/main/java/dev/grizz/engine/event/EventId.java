package dev.grizz.engine.event;

import org.jspecify.annotations.Nullable;

/**
 * An event's position in its conversation's log, written {@code <ms>-<seq>} like a Redis stream id.
 * Both backends order events by it, so a client's cursor works whichever backend serves it.
 */
public record EventId(long ms, long seq) implements Comparable<EventId> {

  public static final EventId ZERO = new EventId(0, 0);

  /**
   * Parses a cursor.
   *
   * @throws InvalidCursorException when the text is not {@code <ms>-<seq>}
   */
  public static EventId parse(String text) {
    int dash = text.indexOf('-');
    try {
      if (dash > 0) {
        long ms = Long.parseLong(text, 0, dash, 10);
        long seq = Long.parseLong(text, dash + 1, text.length(), 10);
        if (ms >= 0 && seq >= 0) {
          return new EventId(ms, seq);
        }
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new InvalidCursorException(text);
  }

  public static @Nullable EventId parseNullable(@Nullable String text) {
    return text == null || text.isBlank() ? null : parse(text.strip());
  }

  /** The smallest id after this one. */
  public EventId next() {
    return new EventId(ms, seq + 1);
  }

  /** The first id at or after both this one's successor and {@code nowMs}. */
  public EventId nextAtOrAfter(long nowMs) {
    return nowMs > ms ? new EventId(nowMs, 0) : next();
  }

  @Override
  public int compareTo(EventId other) {
    int byMs = Long.compare(ms, other.ms);
    return byMs != 0 ? byMs : Long.compare(seq, other.seq);
  }

  public boolean isAfter(@Nullable EventId other) {
    return other == null || compareTo(other) > 0;
  }

  @Override
  public String toString() {
    return ms + "-" + seq;
  }

  /** A cursor that no log issues. */
  public static final class InvalidCursorException extends IllegalArgumentException {
    InvalidCursorException(String cursor) {
      super("'" + cursor + "' is not an event id (expected <ms>-<seq>)");
    }
  }
}
