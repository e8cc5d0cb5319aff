package dev.grizz.engine.event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The newest events this pod appended to each conversation's Redis stream, each with the id that
 * preceded it in the stream, so subscribers on this pod are served from memory without a read from
 * Redis per delta.
 *
 * <p>Redis numbers events, and another pod may append between two of ours, so "after the cursor"
 * can be answered locally only where the stream's order is known: every append here is recorded
 * with the id Redis had last in the stream at that moment (one atomic script), and every event the
 * pod's watch loop reads (any pod's) with the one before it in that read, so a chain of them from
 * the cursor is exactly the stream's content. Where the chain ends, the subscriber reads Redis
 * unless nothing later is known: the highest id recorded per conversation says whether a subscriber
 * is caught up.
 */
final class RecentEvents {

  /** Events kept per conversation; a subscriber further behind reads Redis. */
  static final int PER_CONVERSATION = 128;

  /** Conversations tracked; past this, all are forgotten (a cache: reads go to Redis instead). */
  static final int CONVERSATIONS = 4096;

  private final Map<UUID, Tail> tails = new ConcurrentHashMap<>();

  /** Records an append of ours: {@code previous} is the stream's last id before it, if any. */
  void appended(UUID conversationId, @Nullable EventId previous, LoggedEvent event) {
    if (tails.size() >= CONVERSATIONS && !tails.containsKey(conversationId)) {
      tails.clear();
    }
    tails
        .computeIfAbsent(conversationId, id -> new Tail())
        .add(previous == null ? EventId.ZERO : previous, event);
  }

  /**
   * Records what the watch loop read: {@code event} is the stream's next after {@code previous} (an
   * XREAD returns a stream's entries in order from the position it was given). Says whether it was
   * known already, an append of ours whose subscribers were told when it was made.
   *
   * <p>The loop often reads our own append before the appending thread has recorded it (its reply
   * and the XREAD's arrive together, and the loop is a platform thread); recording the link here
   * serves the subscribers it wakes from memory instead of sending each of them to Redis. Events of
   * other pods are served the same way.
   */
  boolean observed(UUID conversationId, EventId previous, LoggedEvent event) {
    if (tails.size() >= CONVERSATIONS && !tails.containsKey(conversationId)) {
      tails.clear();
    }
    return tails.computeIfAbsent(conversationId, id -> new Tail()).observed(previous, event);
  }

  /**
   * Events after {@code cursor} known to be the stream's next ones: empty when this pod knows of
   * nothing later; null when only Redis can say.
   */
  @Nullable List<LoggedEvent> after(UUID conversationId, EventId cursor, int limit) {
    Tail tail = tails.get(conversationId);
    return tail == null ? null : tail.after(cursor, limit);
  }

  void forget(UUID conversationId) {
    tails.remove(conversationId);
  }

  private static final class Tail {
    /** Our appends by the id before each, oldest first; bounded. */
    private final LinkedHashMap<EventId, LoggedEvent> byPrevious = new LinkedHashMap<>();

    private final Map<EventId, EventId> previousOf = new HashMap<>();
    private @Nullable EventId newest;

    synchronized void add(EventId previous, LoggedEvent event) {
      byPrevious.put(previous, event);
      previousOf.put(event.id(), previous);
      if (byPrevious.size() > PER_CONVERSATION) {
        Map.Entry<EventId, LoggedEvent> eldest = byPrevious.entrySet().iterator().next();
        byPrevious.remove(eldest.getKey());
        previousOf.remove(eldest.getValue().id());
      }
      note(event.id());
    }

    synchronized boolean observed(EventId previous, LoggedEvent event) {
      if (previousOf.containsKey(event.id())) {
        return true;
      }
      add(previous, event);
      return false;
    }

    private void note(EventId id) {
      if (newest == null || id.compareTo(newest) > 0) {
        newest = id;
      }
    }

    synchronized @Nullable List<LoggedEvent> after(EventId cursor, int limit) {
      List<LoggedEvent> chain = new ArrayList<>();
      EventId at = cursor;
      LoggedEvent next;
      while (chain.size() < limit && (next = byPrevious.get(at)) != null) {
        chain.add(next);
        at = next.id();
      }
      if (!chain.isEmpty()) {
        return chain;
      }
      return newest != null && cursor.compareTo(newest) >= 0 ? List.of() : null;
    }
  }
}
