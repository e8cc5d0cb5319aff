package dev.grizz.engine.security;

import dev.grizz.engine.event.Broadcast;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Whether each user may still act, asked by every authenticated request and open stream, so cached
 * per pod for {@link #CACHE}. A change (suspension, its lifting, erasure) is broadcast to every pod
 * once its transaction commits; each pod drops its cached answer and tells its listeners (open
 * sockets), so a revocation lands everywhere within the broadcast's delay, not the cache's age.
 * Broadcast goes through Redis and PostgreSQL both; should a pod still miss one, its cache expires
 * within {@link #CACHE} and open sockets are re-checked on a timer ({@link #refresh}).
 */
@Component
class UserStates {

  static final Duration CACHE = Duration.ofSeconds(5);
  private static final String PREFIX = "user-state:";
  // One query per this many users when open sockets are re-checked; keeps the array parameter
  // small.
  private static final int BATCH = 1000;
  private static final Logger log = LoggerFactory.getLogger(UserStates.class);

  private record Cached(Accounts.@Nullable UserState state, Instant at) {}

  private final JdbcClient jdbc;
  private final Broadcast broadcast;
  private final Clock clock;
  private final Map<UUID, Cached> states = new ConcurrentHashMap<>();
  // Counts changes heard; a read that overlapped one is not cached, as it may predate the change.
  private final AtomicLong changes = new AtomicLong();
  private final List<Consumer<UUID>> listeners = new CopyOnWriteArrayList<>();

  UserStates(JdbcClient jdbc, Broadcast broadcast, Clock clock) {
    this.jdbc = jdbc;
    this.broadcast = broadcast;
    this.clock = clock;
    broadcast.listen(this::onBroadcast);
  }

  /** The user's state, at most {@link #CACHE} old; empty if the user is gone or erased. */
  Optional<Accounts.UserState> get(UUID userId) {
    Instant now = clock.instant();
    Cached cached = states.get(userId);
    if (cached == null || cached.at().plus(CACHE).isBefore(now)) {
      long seen = changes.get();
      Accounts.UserState state =
          jdbc.sql(
                  """
                  select kind, suspended_at is not null as suspended from users
                  where id = :id and erased_at is null
                  """)
              .param("id", userId)
              .query(
                  (rs, n) ->
                      new Accounts.UserState(
                          UserKind.fromWire(rs.getString("kind")), rs.getBoolean("suspended")))
              .optional()
              .orElse(null);
      cached = new Cached(state, now);
      keep(userId, cached, seen);
    }
    return Optional.ofNullable(cached.state());
  }

  /** Reads these users' states afresh, in a few queries rather than one per user. */
  void refresh(Collection<UUID> userIds) {
    List<UUID> all = List.copyOf(userIds);
    for (int from = 0; from < all.size(); from += BATCH) {
      List<UUID> batch = all.subList(from, Math.min(all.size(), from + BATCH));
      Instant now = clock.instant();
      long seen = changes.get();
      Map<UUID, Accounts.UserState> found = new HashMap<>();
      jdbc.sql(
              """
              select id, kind, suspended_at is not null as suspended from users
              where id = any(:ids) and erased_at is null
              """)
          .param("ids", batch.toArray(UUID[]::new))
          .query(
              (rs, n) ->
                  found.put(
                      rs.getObject("id", UUID.class),
                      new Accounts.UserState(
                          UserKind.fromWire(rs.getString("kind")), rs.getBoolean("suspended"))))
          .list();
      for (UUID id : batch) {
        keep(id, new Cached(found.get(id), now), seen);
      }
    }
  }

  /**
   * The user's state changed: every pod (this one at once) forgets it and tells its listeners.
   * Inside a transaction this waits for the commit, or a pod could read the old row again.
   */
  void changed(UUID userId) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              heard(userId);
              // Its own thread: this one still holds the committed transaction's connection, and a
              // statement on it now would run in no transaction anyone commits.
              Thread.ofVirtual().name("user-state-changed").start(() -> publish(userId));
            }
          });
    } else {
      heard(userId);
      publish(userId);
    }
  }

  /** Called on this pod whenever a user's state may have changed, wherever the change was made. */
  void onChange(Consumer<UUID> listener) {
    listeners.add(listener);
  }

  /** Forgets cached states on this pod only (start-up, retention). */
  void forgetHere(@Nullable UUID userId) {
    if (userId == null) {
      states.clear();
    } else {
      states.remove(userId);
    }
  }

  private void keep(UUID userId, Cached read, long changesBefore) {
    states.put(userId, read);
    if (changes.get() != changesBefore) {
      states.remove(userId, read);
    }
  }

  private void publish(UUID userId) {
    try {
      broadcast.publish(PREFIX + userId);
    } catch (RuntimeException e) {
      // Other pods then learn of it when their cache expires and their sockets are re-checked.
      log.warn("telling other pods that user {} changed failed: {}", userId, e.getMessage());
    }
  }

  private void onBroadcast(String message) {
    if (message.startsWith(PREFIX)) {
      heard(UUID.fromString(message.substring(PREFIX.length())));
    }
  }

  private void heard(UUID userId) {
    changes.incrementAndGet();
    states.remove(userId);
    for (Consumer<UUID> listener : listeners) {
      try {
        listener.accept(userId);
      } catch (RuntimeException e) {
        log.warn("a listener of user {}'s change failed: {}", userId, e.getMessage());
      }
    }
  }
}
