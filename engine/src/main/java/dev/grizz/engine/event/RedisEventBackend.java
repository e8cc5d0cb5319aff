package dev.grizz.engine.event;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.UnblockType;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log in Redis Streams: one stream per conversation, {@code grizz:events:{id}}, capped
 * approximately and expired after the conversation goes quiet. An append wakes this pod's
 * subscribers at once and is kept in {@link RecentEvents}, from which they are served without a
 * read from Redis; one blocking XREAD loop per pod watches every stream that has local subscribers
 * for other pods' appends and wakes them. Subscribers read their own range, so a slow one never
 * holds up the others.
 */
final class RedisEventBackend implements EventBackend, AutoCloseable {

  static final String KEY_PREFIX = "grizz:events:";
  private static final String FIELD = "e";
  private static final Logger log = LoggerFactory.getLogger(RedisEventBackend.class);

  private final SharedRedis connection;
  private final RedisClient client;
  private final EventSettings settings;
  private final Watchers watchers = new Watchers();
  private final Map<UUID, String> positions = new ConcurrentHashMap<>();
  private final RecentEvents recent = new RecentEvents();
  private final RedisScripts.Append appendScript = new RedisScripts.Append();
  private volatile boolean running = true;
  private volatile long blockingClientId = -1;
  private final java.util.concurrent.atomic.AtomicBoolean unblockAsked =
      new java.util.concurrent.atomic.AtomicBoolean();
  private @Nullable Thread loop;

  RedisEventBackend(RedisClient client, SharedRedis connection, EventSettings settings) {
    this.client = client;
    this.connection = connection;
    this.settings = settings;
  }

  static String key(UUID conversationId) {
    return KEY_PREFIX + conversationId;
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public EventId append(UUID conversationId, String payload, @Nullable EventId floor) {
    List<Object> reply =
        appendScript.run(
            commands(),
            new String[] {key(conversationId)},
            String.valueOf(settings.maxLength()),
            floor == null ? "" : floor.toString(),
            FIELD,
            payload);
    return appended(conversationId, payload, reply);
  }

  /**
   * Appends an event of the attempt that holds {@code fence} if Redis's fence for the step agrees
   * (see {@link RedisScripts#APPEND}); with {@code raise}, a lower or missing fence is first set to
   * the attempt.
   */
  FencedAppend append(
      UUID conversationId,
      String payload,
      @Nullable EventId floor,
      StepFence fence,
      boolean raise,
      Duration ttl) {
    List<Object> reply =
        appendScript.run(
            commands(),
            new String[] {key(conversationId), StepFence.redisKey(fence.stepId())},
            String.valueOf(settings.maxLength()),
            floor == null ? "" : floor.toString(),
            FIELD,
            payload,
            String.valueOf(fence.attempt()),
            raise ? "1" : "0",
            String.valueOf(ttl.toMillis()));
    if (reply.size() == 1) {
      return "!lost".equals(reply.getFirst())
          ? new FencedAppend.Lost()
          : new FencedAppend.Unconfirmed();
    }
    return new FencedAppend.Appended(appended(conversationId, payload, reply));
  }

  private EventId appended(UUID conversationId, String payload, List<Object> reply) {
    String previous = (String) reply.get(0);
    LoggedEvent event = new LoggedEvent(EventId.parse((String) reply.get(1)), payload);
    recent.appended(conversationId, previous.isEmpty() ? null : EventId.parse(previous), event);
    // Subscribers on this pod learn of it now, not when the watch loop's XREAD returns.
    watchers.signal(conversationId);
    return event.id();
  }

  /**
   * Raises a step's fence to {@code attempt} (never lowers it); false when a later attempt holds it
   * already. Once per restart, so plain EVAL.
   */
  boolean raiseFence(UUID stepId, int attempt, Duration ttl) {
    Long holds =
        commands()
            .eval(
                RedisScripts.RAISE,
                ScriptOutputType.INTEGER,
                new String[] {StepFence.redisKey(stepId)},
                String.valueOf(attempt),
                String.valueOf(ttl.toMillis()));
    return holds != null && holds == 1;
  }

  /**
   * What this pod knows without asking Redis of the events after {@code after}: the next events
   * (they were appended here), none (nothing later has been seen), or null when Redis must say.
   */
  @Nullable List<LoggedEvent> recentAfter(UUID conversationId, EventId after, int limit) {
    return recent.after(conversationId, after, limit);
  }

  @Override
  public @Nullable EventId last(UUID conversationId) {
    List<StreamMessage<String, String>> top =
        commands().xrevrange(key(conversationId), Range.unbounded(), Limit.from(1));
    return top.isEmpty() ? null : EventId.parse(top.getFirst().getId());
  }

  @Override
  public List<LoggedEvent> readAfter(UUID conversationId, @Nullable EventId after, int limit) {
    Range<String> range =
        after == null
            ? Range.unbounded()
            : Range.from(
                Range.Boundary.including(after.next().toString()), Range.Boundary.unbounded());
    List<StreamMessage<String, String>> messages =
        commands().xrange(key(conversationId), range, Limit.from(limit));
    List<LoggedEvent> events = new ArrayList<>(messages.size());
    for (StreamMessage<String, String> message : messages) {
      events.add(new LoggedEvent(EventId.parse(message.getId()), message.getBody().get(FIELD)));
    }
    return events;
  }

  @Override
  public AutoCloseable watch(UUID conversationId, Runnable signal) {
    return watch(conversationId, signal, null);
  }

  /**
   * As {@link #watch(UUID, Runnable)}, for a subscriber that reads after {@code from}: the loop
   * watches the stream from there (from its current end when null). Nothing here holds a lock
   * across a Redis call: a streaming post subscribes once per message, and 64 of them at once
   * queued up for over a second behind one another's round trips.
   */
  AutoCloseable watch(UUID conversationId, Runnable signal, @Nullable EventId from) {
    AutoCloseable handle = watchers.add(conversationId, signal);
    if (!positions.containsKey(conversationId)) {
      String start = from != null ? from.toString() : streamEnd(conversationId);
      if (positions.putIfAbsent(conversationId, start) == null) {
        wakeLoop();
      }
    }
    startLoop();
    return () -> {
      handle.close();
      positions.computeIfPresent(
          conversationId,
          (id, position) -> watchers.conversations().contains(id) ? position : null);
    };
  }

  private String streamEnd(UUID conversationId) {
    EventId end = last(conversationId);
    return end == null ? "0-0" : end.toString();
  }

  /**
   * Makes the loop's blocking XREAD return now, so it includes a new stream without waiting out its
   * block; one request until the loop comes round, not one per new watch.
   */
  private void wakeLoop() {
    long blocked = blockingClientId;
    if (blocked >= 0 && unblockAsked.compareAndSet(false, true)) {
      commands().clientUnblock(blocked, UnblockType.TIMEOUT);
    }
  }

  private synchronized void startLoop() {
    if (loop == null) {
      loop = Thread.ofPlatform().daemon().name("redis-events-watch").start(this::watchLoop);
    }
  }

  void delete(UUID conversationId) {
    recent.forget(conversationId);
    commands().del(key(conversationId));
  }

  @Override
  public void expireAfter(UUID conversationId, Duration ttl) {
    commands().expire(key(conversationId), ttl);
  }

  private RedisCommands<String, String> commands() {
    return connection.sync();
  }

  private void watchLoop() {
    StatefulRedisConnection<String, String> blocking = null;
    while (running) {
      try {
        if (blocking == null || !blocking.isOpen()) {
          blocking = client.connect();
          blockingClientId = blocking.sync().clientId();
        }
        unblockAsked.set(false);
        List<StreamOffset<String>> offsets = new ArrayList<>();
        // Per stream, the id each event read follows: the position read from, then the last read.
        Map<UUID, String> before = new java.util.HashMap<>();
        positions.forEach(
            (id, position) -> {
              offsets.add(StreamOffset.from(key(id), position));
              before.put(id, position);
            });
        if (offsets.isEmpty()) {
          Thread.sleep(50);
          continue;
        }
        StreamOffset<String>[] streams = streamArray(offsets);
        List<StreamMessage<String, String>> messages =
            blocking
                .sync()
                .xread(XReadArgs.Builder.block(Duration.ofMillis(250)).count(1000), streams);
        java.util.Set<UUID> touched = new java.util.HashSet<>();
        for (StreamMessage<String, String> message : messages) {
          UUID conversation = UUID.fromString(message.getStream().substring(KEY_PREFIX.length()));
          positions.computeIfPresent(conversation, (id, old) -> message.getId());
          String previous = before.put(conversation, message.getId());
          String payload = message.getBody().get(FIELD);
          if (previous == null
              || payload == null
              || !recent.observed(
                  conversation,
                  EventId.parse(previous),
                  new LoggedEvent(EventId.parse(message.getId()), payload))) {
            // Not yet recorded as ours: another pod's, or ours just before its thread records it.
            touched.add(conversation);
          }
        }
        touched.forEach(watchers::signal);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (running) {
          log.debug("watching Redis streams failed: {}", e.getMessage());
          if (blocking != null) {
            blocking.closeAsync();
            blocking = null;
            blockingClientId = -1;
          }
          try {
            Thread.sleep(500);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
    if (blocking != null) {
      blocking.closeAsync();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // Lettuce takes a generic varargs array
  private static StreamOffset<String>[] streamArray(List<StreamOffset<String>> offsets) {
    return offsets.toArray(new StreamOffset[0]);
  }

  @Override
  public void close() {
    running = false;
    if (loop != null) {
      loop.interrupt();
    }
  }
}
