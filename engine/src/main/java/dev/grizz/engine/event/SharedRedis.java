package dev.grizz.engine.event;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.jspecify.annotations.Nullable;

/**
 * The pod's shared Redis connection, opened on first use rather than at start-up, so the engine
 * starts (degraded, on PostgreSQL) while Redis is down and joins it when it comes up. Once open,
 * Lettuce reconnects it by itself.
 */
final class SharedRedis implements AutoCloseable {

  private final RedisClient client;
  private volatile @Nullable StatefulRedisConnection<String, String> connection;

  SharedRedis(RedisClient client) {
    this.client = client;
  }

  /**
   * Commands on the shared connection.
   *
   * @throws RedisConnectionException while Redis cannot be reached
   */
  RedisCommands<String, String> sync() {
    StatefulRedisConnection<String, String> open = connection;
    if (open == null) {
      synchronized (this) {
        open = connection;
        if (open == null) {
          open = client.connect();
          connection = open;
        }
      }
    }
    return open.sync();
  }

  @Override
  public void close() {
    StatefulRedisConnection<String, String> open = connection;
    if (open != null) {
      open.close();
    }
  }
}
