package dev.grizz.engine.event;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Redis for features outside the event log (rate limits) that must fall back to something else
 * while Redis is down: a command runs only while Redis is configured and answering, and a failure
 * to reach Redis marks it down for everyone, so the fallback starts at once. An error reply falls
 * back for that command only (see {@link RedisMode#redisFailed}).
 */
@Service
public class RedisGate {

  private final @Nullable SharedRedis connection;
  private final @Nullable RedisClient client;
  private final RedisMode mode;

  RedisGate(
      ObjectProvider<SharedRedis> connection, ObjectProvider<RedisClient> client, RedisMode mode) {
    this.connection = connection.getIfAvailable();
    this.client = client.getIfAvailable();
    this.mode = mode;
  }

  /** Whether Redis is configured and answering now. */
  public boolean up() {
    return connection != null && mode.redisUp();
  }

  /**
   * Runs {@code command} on the shared connection; empty while Redis is down or when the command
   * fails, whether for want of Redis or by an error reply.
   */
  public <T> Optional<T> tryRun(Function<RedisCommands<String, String>, @Nullable T> command) {
    SharedRedis open = connection;
    if (open == null || !mode.redisUp()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(command.apply(open.sync()));
    } catch (RuntimeException e) {
      mode.redisFailed(e);
      return Optional.empty();
    }
  }

  /** The client, for libraries that open their own connection (rate limits). */
  public Optional<RedisClient> client() {
    return Optional.ofNullable(client);
  }

  /**
   * Tells the event log that a connection of the caller's own failed; as for {@link #tryRun}, only
   * a failure to reach Redis marks it down.
   */
  public void reportDown(RuntimeException cause) {
    mode.redisFailed(cause);
  }
}
