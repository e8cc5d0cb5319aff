package dev.grizz.engine.event;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where a conversation's events are kept: Redis Streams or PostgreSQL. One contract, two stores.
 */
interface EventBackend {

  String name();

  /**
   * Appends a payload and returns its id, which is greater than every id already in the
   * conversation's log and than {@code floor} when given.
   */
  EventId append(UUID conversationId, String payload, @Nullable EventId floor);

  /** The id of the conversation's newest event, if it has any. */
  @Nullable EventId last(UUID conversationId);

  /** Up to {@code limit} events after {@code after} (from the start when null), oldest first. */
  List<LoggedEvent> readAfter(UUID conversationId, @Nullable EventId after, int limit);

  /**
   * Calls {@code signal} (on a backend thread; it must not block) whenever events are appended to
   * the conversation, by any pod. Closing the handle stops the calls.
   */
  AutoCloseable watch(UUID conversationId, Runnable signal);

  /** Drops the conversation's log {@code ttl} from now unless more events come. */
  void expireAfter(UUID conversationId, Duration ttl);
}
