package dev.grizz.engine.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * Every conversation's event stream. Appends go to Redis Streams while Redis answers and to
 * PostgreSQL otherwise (and always when no Redis is configured); reads merge both while events of a
 * conversation may be in both, so a switch in either direction loses nothing.
 */
@Service
public class EventLog implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventLog.class);
  private static final int MAX_TRACKED = 100_000;
  private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
  private static final Duration STEP_CLOCK_MARGIN = Duration.ofMinutes(1);

  private final PostgresEventBackend postgres;
  private final @Nullable RedisEventBackend redis;
  private final EventCodec codec;
  private final RedisMode mode;
  private final Clock clock;
  private final StepFences fences;
  private final Map<UUID, EventId> lastAppended = new ConcurrentHashMap<>();
  private final Set<UUID> inPostgres = ConcurrentHashMap.newKeySet();
  private final Set<Subscription> open = ConcurrentHashMap.newKeySet();
  private volatile boolean running;

  EventLog(
      PostgresEventBackend postgres,
      ObjectProvider<RedisEventBackend> redis,
      EventCodec codec,
      RedisMode mode,
      Clock clock,
      EventSettings settings,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this.postgres = postgres;
    this.redis = redis.getIfAvailable();
    this.codec = codec;
    this.mode = mode;
    this.clock = clock;
    this.fences = new StepFences(postgres, this.redis, codec, mode, clock, settings);
    io.micrometer.core.instrument.Gauge.builder("grizz.subscriptions", open, Set::size)
        .description("Clients reading a conversation's events on this pod (any transport)")
        .register(meters);
  }

  /** "redis" or "postgres": where appends go now. */
  public String mode() {
    return redis != null && mode.redisUp() ? "redis" : "postgres";
  }

  /**
   * Appends an event, unfenced, and returns its id. A worker's events go through {@link
   * #append(ChatEvent, StepFence)}; this is for benchmarks and tests of the log itself.
   */
  public EventId append(ChatEvent event) {
    return appendPayload(event.conversationId(), codec.encode(event));
  }

  EventId appendPayload(UUID conversationId, String payload) {
    EventId floor = lastAppended.get(conversationId);
    EventId id = null;
    if (redis != null && mode.redisUp()) {
      try {
        id = redis.append(conversationId, payload, floor);
      } catch (RuntimeException e) {
        mode.redisFailed(e);
      }
    }
    if (id == null) {
      id = postgres.append(conversationId, payload, floor);
      inPostgres.add(conversationId);
    }
    remember(conversationId, id);
    return id;
  }

  private void remember(UUID conversationId, EventId id) {
    if (lastAppended.size() > MAX_TRACKED) {
      lastAppended.clear();
    }
    lastAppended.put(conversationId, id);
  }

  /**
   * Takes a step's fence for the attempt a worker has just claimed, before it reads the step's last
   * seq ({@link #lastSeq}) or writes anything: from then on no earlier attempt can append an event
   * of the step, so that seq is final and the events after it are this attempt's alone. A first
   * attempt has no one to fence out and costs no round trip; a restart records the fence in
   * PostgreSQL (an exception here means the attempt must not start) and in Redis when it is up.
   */
  public StepFence fence(UUID conversationId, UUID stepId, int attempt) {
    return fences.take(conversationId, stepId, attempt);
  }

  /**
   * Appends an event of the attempt holding {@code fence}; empty, with nothing written, once a
   * later attempt has taken the step (and from then on without a round trip).
   */
  public Optional<EventId> append(ChatEvent event, StepFence fence) {
    if (fence.lost()) {
      return Optional.empty();
    }
    UUID conversationId = event.conversationId();
    String payload = codec.encode(event);
    EventId floor = lastAppended.get(conversationId);
    EventId id = fences.appendToRedis(conversationId, payload, floor, fence);
    if (fence.lost()) {
      return Optional.empty();
    }
    if (id == null) {
      id = postgres.append(conversationId, payload, floor, fence);
      if (id == null) {
        fence.lose();
        return Optional.empty();
      }
      inPostgres.add(conversationId);
    }
    remember(conversationId, id);
    return Optional.of(id);
  }

  /**
   * The highest seq of the step's events, in either store: where a restart numbers on from. Both
   * stores are read whatever this pod's mode, since another pod may have written some of the step's
   * events to PostgreSQL while this one saw Redis up. Read after {@link #fence}, it is final.
   */
  public long lastSeq(UUID conversationId, UUID stepId) {
    return fences.lastSeq(conversationId, stepId);
  }

  /**
   * The id of the conversation's newest event wherever it is, or {@link EventId#ZERO} when it has
   * none: a cursor from which a subscriber sees only what is appended from now on.
   */
  public EventId last(UUID conversationId) {
    EventId newest = null;
    boolean redisRead = false;
    if (redis != null && mode.redisUp()) {
      try {
        newest = redis.last(conversationId);
        redisRead = true;
      } catch (RuntimeException e) {
        mode.redisFailed(e);
      }
    }
    if (!redisRead || mayBeInPostgres(conversationId)) {
      EventId fromPostgres = postgres.last(conversationId);
      if (fromPostgres != null && fromPostgres.isAfter(newest)) {
        newest = fromPostgres;
      }
    }
    return newest == null ? EventId.ZERO : newest;
  }

  /** Up to {@code limit} events after {@code after}, oldest first, from wherever they are. */
  public List<LoggedEvent> readAfter(UUID conversationId, @Nullable EventId after, int limit) {
    if (redis == null) {
      return postgres.readAfter(conversationId, after, limit);
    }
    List<LoggedEvent> fromRedis = List.of();
    boolean redisRead = false;
    if (mode.redisUp()) {
      try {
        fromRedis = redis.readAfter(conversationId, after, limit);
        redisRead = true;
      } catch (RuntimeException e) {
        mode.redisFailed(e);
      }
    }
    if (redisRead && !mayBeInPostgres(conversationId)) {
      return fromRedis;
    }
    List<LoggedEvent> fromPostgres = postgres.readAfter(conversationId, after, limit);
    if (fromRedis.isEmpty()) {
      return fromPostgres;
    }
    if (fromPostgres.isEmpty()) {
      return fromRedis;
    }
    List<LoggedEvent> merged = new ArrayList<>(fromRedis.size() + fromPostgres.size());
    merged.addAll(fromRedis);
    merged.addAll(fromPostgres);
    merged.sort(Comparator.comparing(LoggedEvent::id));
    return merged.size() > limit ? List.copyOf(merged.subList(0, limit)) : merged;
  }

  /**
   * As {@link #readAfter}, for a subscriber woken by news of the conversation: answered from this
   * pod's memory where it can be (events this pod appended, or nothing new), so a subscriber on the
   * pod that generates the answer costs Redis no read per delta.
   */
  List<LoggedEvent> readNew(UUID conversationId, @Nullable EventId after, int limit) {
    if (redis != null && after != null && mode.redisUp() && !mayBeInPostgres(conversationId)) {
      List<LoggedEvent> known = redis.recentAfter(conversationId, after, limit);
      if (known != null) {
        return known;
      }
    }
    return readAfter(conversationId, after, limit);
  }

  /**
   * Where a read for a step's events can start: no event of a step is older than the step itself,
   * and a step id (UUIDv7) carries its creation time, so the read skips the conversation's earlier
   * history instead of decoding all of it; the margin covers clocks (pods', Redis's) that disagree.
   */
  static @Nullable EventId readStartFor(UUID stepId) {
    if (stepId.version() != 7) {
      return null;
    }
    long created = stepId.getMostSignificantBits() >>> 16;
    long start = created - STEP_CLOCK_MARGIN.toMillis();
    return start > 0 ? new EventId(start, 0) : null;
  }

  private boolean mayBeInPostgres(UUID conversationId) {
    Instant switched = mode.lastSwitch();
    return inPostgres.contains(conversationId)
        || (switched != null && switched.isAfter(clock.instant().minus(Duration.ofHours(1))));
  }

  /**
   * Opens a subscription that reads events after {@code after} (see {@link Subscription}); without
   * a cursor but with {@code fromStep}, from that step's first event.
   */
  public Subscription subscribe(
      UUID conversationId, @Nullable EventId after, @Nullable UUID fromStep) {
    Subscription subscription =
        after != null || fromStep == null
            ? new Subscription(this, codec, conversationId, after, null)
            : new Subscription(this, codec, conversationId, readStartFor(fromStep), fromStep);
    List<AutoCloseable> watches = new ArrayList<>();
    watches.add(postgres.watch(conversationId, subscription::wake));
    if (redis != null) {
      try {
        watches.add(redis.watch(conversationId, subscription::wake, after));
      } catch (RuntimeException e) {
        mode.redisFailed(e);
      }
    }
    watches.add(() -> open.remove(subscription));
    subscription.onClose(watches);
    open.add(subscription);
    return subscription;
  }

  /** Drops the conversation's stream {@code ttl} from now, in both stores. */
  public void expireAfter(UUID conversationId, Duration ttl) {
    if (redis != null && mode.redisUp()) {
      try {
        redis.expireAfter(conversationId, ttl);
      } catch (RuntimeException e) {
        mode.redisFailed(e);
      }
    }
    if (inPostgres.contains(conversationId) || redis == null) {
      postgres.expireAfter(conversationId, ttl);
    }
    lastAppended.remove(conversationId);
  }

  @Override
  public void start() {
    running = true;
    Thread.ofVirtual().name("events-purge").start(this::purgeLoop);
  }

  private void purgeLoop() {
    while (running) {
      try {
        Thread.sleep(PURGE_EVERY);
        purgeExpired();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (running) {
          log.warn("purging expired events failed: {}", e.getMessage());
        }
      }
    }
  }

  /** Ends every open subscription first at shutdown, so streaming requests finish gracefully. */
  @Override
  public void stop() {
    running = false;
    open.forEach(Subscription::close);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }

  /** Deletes a conversation's whole stream, in both stores (an erasure). */
  public void delete(UUID conversationId) {
    if (redis != null) {
      try {
        redis.delete(conversationId);
      } catch (RuntimeException e) {
        mode.redisFailed(e);
        throw e;
      }
    }
    postgres.delete(conversationId);
    lastAppended.remove(conversationId);
    inPostgres.remove(conversationId);
  }

  /** Deletes expired events kept in PostgreSQL. */
  public int purgeExpired() {
    int purged = postgres.purgeExpired();
    if (purged > 0) {
      log.debug("purged {} expired events", purged);
    }
    return purged;
  }
}
