package dev.grizz.engine.event;

import org.jspecify.annotations.Nullable;

/**
 * An event's position in its conversation's log, written {@code <ms>-<seq>} like a Redis stream id.
 * Both backends order events by it, so a client's cursor works whichever backend serves it.
 */
public record EventId(long ms, long seq) implements Comparable<EventId> {

  public static final EventId ZERO = new EventId(0, 0);

  /** Digits in the longest decimal a {@code long} holds. */
  private static final int MAX_DIGITS = 19;

  /**
   * Parses a cursor: two runs of ASCII digits joined by a dash, each at most a {@code long}, and a
   * {@code seq} below {@link Long#MAX_VALUE}. A read resumes at the cursor's successor, so a cursor
   * without one is refused here: its overflowed successor ({@code ms--9223372036854775808}) made
   * Redis answer an error that a client could repeat at will.
   *
   * @throws InvalidCursorException when the text is not such a cursor
   */
  public static EventId parse(String text) {
    int dash = text.indexOf('-');
    if (dash > 0) {
      long ms = digits(text, 0, dash);
      long seq = digits(text, dash + 1, text.length());
      if (ms >= 0 && seq >= 0 && seq < Long.MAX_VALUE) {
        return new EventId(ms, seq);
      }
    }
    throw new InvalidCursorException(text);
  }

  /**
   * The number written in {@code text[from, to)}, or -1 unless that is 1 to 19 ASCII digits that
   * fit a {@code long}. {@link Long#parseLong} alone would also take a sign and non-ASCII digits.
   */
  private static long digits(String text, int from, int to) {
    if (to - from < 1 || to - from > MAX_DIGITS) {
      return -1;
    }
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    try {
      return Long.parseLong(text, from, to, 10);
    } catch (NumberFormatException beyondLong) {
      return -1;
    }
  }

  public static @Nullable EventId parseNullable(@Nullable String text) {
    return text == null || text.isBlank() ? null : parse(text.strip());
  }

  /**
   * The smallest id after this one. Throws rather than wrap to a negative {@code seq}, which no
   * backend can read after; {@link #parse} lets no such id in from a client.
   */
  public EventId next() {
    return new EventId(ms, Math.addExact(seq, 1));
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
    // The cursor is quoted back, cut short: it is the client's text, as long as the client likes.
    private static final int QUOTED = 48;

    InvalidCursorException(String cursor) {
      super(
          "'"
              + (cursor.length() > QUOTED ? cursor.substring(0, QUOTED) + "…" : cursor)
              + "' is not an event id (expected <ms>-<seq>)");
    }
  }
}
