package dev.grizz.engine.event;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.UnblockType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
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
 * approximately and expired after the conversation goes quiet. One blocking XREAD loop per pod
 * watches every stream that has local subscribers and wakes them; subscribers then read their own
 * range, so a slow one never holds up the others.
 */
final class RedisEventBackend implements EventBackend, AutoCloseable {

  static final String KEY_PREFIX = "grizz:events:";
  private static final String FIELD = "e";
  private static final Logger log = LoggerFactory.getLogger(RedisEventBackend.class);

  private final SharedRedis connection;
  private final RedisClient client;
  private final EventSettings settings;
  private final Clock clock;
  private final Watchers watchers = new Watchers();
  private final Map<UUID, String> positions = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private volatile long blockingClientId = -1;
  private @Nullable Thread loop;

  RedisEventBackend(
      RedisClient client, SharedRedis connection, EventSettings settings, Clock clock) {
    this.client = client;
    this.connection = connection;
    this.settings = settings;
    this.clock = clock;
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
    XAddArgs args = XAddArgs.Builder.maxlen(settings.maxLength()).approximateTrimming();
    if (floor != null && floor.ms() >= clock.millis()) {
      // Redis would number this event below one the client may already hold (from PostgreSQL
      // while Redis was away): number it explicitly instead.
      args.id(floor.next().toString());
    }
    String id = commands().xadd(key(conversationId), args, Map.of(FIELD, payload));
    return EventId.parse(id);
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
  public synchronized AutoCloseable watch(UUID conversationId, Runnable signal) {
    if (!positions.containsKey(conversationId)) {
      // Watch from the current end: anything older is read by the subscriber's own catch-up.
      List<StreamMessage<String, String>> top =
          commands().xrevrange(key(conversationId), Range.unbounded(), Limit.from(1));
      positions.put(conversationId, top.isEmpty() ? "0-0" : top.getFirst().getId());
      long blocked = blockingClientId;
      if (blocked >= 0) {
        // Make the loop's XREAD return now, so it includes the new stream without waiting.
        commands().clientUnblock(blocked, UnblockType.TIMEOUT);
      }
    }
    AutoCloseable handle = watchers.add(conversationId, signal);
    if (loop == null) {
      loop = Thread.ofPlatform().daemon().name("redis-events-watch").start(this::watchLoop);
    }
    return () -> {
      handle.close();
      if (!watchers.conversations().contains(conversationId)) {
        positions.remove(conversationId);
      }
    };
  }

  void delete(UUID conversationId) {
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
        List<StreamOffset<String>> offsets = new ArrayList<>();
        positions.forEach((id, position) -> offsets.add(StreamOffset.from(key(id), position)));
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
          touched.add(conversation);
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
