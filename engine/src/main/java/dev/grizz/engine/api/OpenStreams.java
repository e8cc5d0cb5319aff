package dev.grizz.engine.api;

import dev.grizz.engine.event.EventCodec;
import dev.grizz.engine.event.EventData;
import dev.grizz.engine.event.Subscription;
import dev.grizz.engine.security.Accounts;
import dev.grizz.engine.security.AuthException;
import dev.grizz.engine.telemetry.TraceIds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * This pod's open streams (WebSockets, server-sent events) by user, so that a suspension or an
 * erasure ends them: a stream was authenticated once, when it opened, and would otherwise go on for
 * as long as it stays open. When any pod says a user's state changed ({@link
 * Accounts#onStateChange}) that user's streams are checked at once; and every {@link #CHECK_EVERY}
 * the users of all open streams are read afresh in one query, which covers a change whose broadcast
 * this pod missed. When the pod drains ({@link PodDrain}) every stream ends so that its client
 * resumes on another pod.
 */
@Component
class OpenStreams implements DisposableBean {

  static final Duration CHECK_EVERY = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(OpenStreams.class);

  private final Accounts accounts;
  private final JsonMapper json;
  // What ends each open stream of a user, given why.
  private final Map<UUID, Set<Consumer<Ending>>> byUser = new ConcurrentHashMap<>();
  private final DrainState drainState;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofVirtual().name("socket-recheck").factory());

  /** Why the engine ends an open stream. */
  sealed interface Ending {}

  /** Its user may no longer act: suspended or erased since the stream opened. */
  record Revoked(AuthException why) implements Ending {}

  /** This pod is shutting down: the client should open the stream again, elsewhere. */
  record Draining() implements Ending {}

  OpenStreams(
      Accounts accounts,
      JsonMapper json,
      DrainState drainState,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this.drainState = drainState;
    this.json = json;
    this.accounts = accounts;
    io.micrometer.core.instrument.Gauge.builder("grizz.streams.open", byUser, OpenStreams::count)
        .description("Open WebSockets and event streams on this pod (what a gateway scales on)")
        .register(meters);
    accounts.onStateChange(
        userId -> {
          // Called on a broadcast thread, which must not wait for the database.
          if (byUser.containsKey(userId)) {
            Thread.ofVirtual().name("socket-revoke").start(() -> check(userId));
          }
        });
  }

  /**
   * Registers an open stream of the user; {@code end} closes it when the user may no longer act.
   * Returns what to run when the stream closes.
   */
  Runnable add(UUID userId, Consumer<Ending> end) {
    byUser.compute(
        userId,
        (id, ends) -> {
          Set<Consumer<Ending>> set = ends != null ? ends : ConcurrentHashMap.newKeySet();
          set.add(end);
          return set;
        });
    return () ->
        byUser.computeIfPresent(
            userId,
            (id, ends) -> {
              ends.remove(end);
              return ends.isEmpty() ? null : ends;
            });
  }

  /**
   * Registers a server-sent event stream: its subscription is closed when the user may no longer
   * act, and {@link Tracked#errorFrame} then says why. Close the handle when the stream ends.
   */
  Tracked track(UUID userId, Subscription subscription) {
    Tracked tracked = new Tracked();
    tracked.untrack =
        add(
            userId,
            why -> {
              if (why instanceof Revoked revoked) {
                tracked.revoked = revoked.why();
              }
              subscription.close();
            });
    return tracked;
  }

  /** A tracked stream's registration. */
  final class Tracked implements AutoCloseable {
    private Runnable untrack = () -> {};
    private volatile @Nullable AuthException revoked;

    /** The error frame that ends the stream, or null while its user may act. */
    @Nullable String errorFrame() {
      AuthException why = revoked;
      return why == null ? null : OpenStreams.this.errorFrame(why);
    }

    @Override
    public void close() {
      untrack.run();
    }
  }

  /** The {@code error} frame a revoked stream ends with, the same shape on every transport. */
  String errorFrame(AuthException why) {
    return json.writeValueAsString(
        new EventCodec.ErrorFrame(
            new EventData.Error(why.code(), why.getMessage(), TraceIds.current())));
  }

  @EventListener(ApplicationReadyEvent.class)
  void startChecking() {
    long every = CHECK_EVERY.toMillis();
    timer.scheduleWithFixedDelay(this::checkAll, every, every, TimeUnit.MILLISECONDS);
  }

  private void checkAll() {
    try {
      List<UUID> users = List.copyOf(byUser.keySet());
      if (users.isEmpty()) {
        return;
      }
      accounts.refresh(users);
      users.forEach(this::check);
    } catch (RuntimeException e) {
      log.warn("re-checking the users of open streams failed: {}", e.getMessage());
    }
  }

  private void check(UUID userId) {
    accounts
        .refusal(userId)
        .ifPresent(
            why -> {
              Set<Consumer<Ending>> ends = byUser.get(userId);
              if (ends != null) {
                Revoked revoked = new Revoked(why);
                ends.forEach(end -> end.accept(revoked));
              }
            });
  }

  /**
   * Ends every open stream of this pod (WebSockets close with 1012, event streams end) and makes
   * {@link PodRoleFilter} refuse new ones: their clients resume from their last event on another
   * pod. Returns how many streams it ended.
   */
  int drain() {
    drainState.start();
    int ended = 0;
    Draining why = new Draining();
    for (Set<Consumer<Ending>> ends : byUser.values()) {
      for (Consumer<Ending> end : List.copyOf(ends)) {
        try {
          end.accept(why);
          ended++;
        } catch (RuntimeException e) {
          log.debug("ending a stream failed: {}", e.getMessage());
        }
      }
    }
    return ended;
  }

  private static double count(Map<UUID, Set<Consumer<Ending>>> byUser) {
    return byUser.values().stream().mapToInt(Set::size).sum();
  }

  @Override
  public void destroy() {
    // No interrupt: one landing in a PostgreSQL read would close a pooled connection's socket.
    timer.shutdown();
  }
}
