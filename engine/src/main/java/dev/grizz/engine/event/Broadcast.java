package dev.grizz.engine.event;

import dev.grizz.engine.config.DatabaseTarget;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Tells every pod something now, such as "cancel step X". A message goes out through Redis pub/sub
 * and PostgreSQL NOTIFY both, so it arrives whichever is up; listeners must be idempotent since
 * they may hear it twice.
 */
@Service
public class Broadcast implements DisposableBean {

  static final String REDIS_CHANNEL = "grizz:broadcast";
  static final String PG_CHANNEL = "grizz_broadcast";
  private static final Logger log = LoggerFactory.getLogger(Broadcast.class);

  private final JdbcClient jdbc;
  private final @Nullable RedisClient redis;
  private final RedisMode mode;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final PostgresEventBackend.NotificationListener pgListener;
  private @Nullable StatefulRedisPubSubConnection<String, String> subscriber;
  private @Nullable StatefulRedisPubSubConnection<String, String> publisher;

  Broadcast(
      JdbcClient jdbc, ObjectProvider<RedisClient> redis, RedisMode mode, DatabaseTarget database) {
    this.jdbc = jdbc;
    this.redis = redis.getIfAvailable();
    this.mode = mode;
    this.pgListener =
        new PostgresEventBackend.NotificationListener(database, PG_CHANNEL, this::deliver);
    pgListener.ensureStarted();
    if (this.redis != null) {
      try {
        subscriber = this.redis.connectPubSub();
        subscriber.addListener(
            new RedisPubSubAdapter<>() {
              @Override
              public void message(String channel, String message) {
                deliver(message);
              }
            });
        subscriber.sync().subscribe(REDIS_CHANNEL);
        publisher = this.redis.connectPubSub();
      } catch (RuntimeException e) {
        // Lettuce resubscribes when the connection comes back; PostgreSQL carries messages
        // meanwhile.
        mode.redisFailed(e);
      }
    }
  }

  public void listen(Consumer<String> listener) {
    listeners.add(listener);
  }

  public void publish(String message) {
    if (publisher != null && mode.redisUp()) {
      try {
        publisher.sync().publish(REDIS_CHANNEL, message);
      } catch (RuntimeException e) {
        mode.redisFailed(e);
      }
    }
    jdbc.sql("select pg_notify(:channel, :message)")
        .param("channel", PG_CHANNEL)
        .param("message", message)
        .query()
        .singleRow();
  }

  private void deliver(String message) {
    for (Consumer<String> listener : listeners) {
      try {
        listener.accept(message);
      } catch (RuntimeException e) {
        log.warn("broadcast listener failed on {}: {}", message, e.getMessage());
      }
    }
  }

  @Override
  public void destroy() {
    pgListener.close();
    if (subscriber != null) {
      subscriber.closeAsync();
    }
    if (publisher != null) {
      publisher.closeAsync();
    }
  }
}
