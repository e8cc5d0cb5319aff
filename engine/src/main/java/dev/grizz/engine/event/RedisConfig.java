package dev.grizz.engine.event;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Connects to Redis only when GRIZZ_REDIS_URL is set. Without it every bean here is null (absent to
 * {@code ObjectProvider.getIfAvailable()}): decided when the engine starts, not by a condition, so
 * that Spring AOT's build-time bean definitions hold for both modes.
 */
@Configuration(proxyBeanMethods = false)
class RedisConfig {

  @Bean(destroyMethod = "shutdown")
  @Nullable RedisClient redisClient(RedisSettings settings) {
    if (!settings.enabled()) {
      return null;
    }
    RedisURI uri = RedisURI.create(settings.url());
    uri.setTimeout(Duration.ofSeconds(3));
    RedisClient client = RedisClient.create(uri);
    // Fail at once while disconnected, instead of queueing commands until the timeout: the
    // event log then falls back to PostgreSQL within a command, not after seconds.
    client.setOptions(
        ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
            .build());
    return client;
  }

  @Bean(destroyMethod = "close")
  @Nullable SharedRedis sharedRedis(ObjectProvider<RedisClient> client) {
    RedisClient redis = client.getIfAvailable();
    return redis == null ? null : new SharedRedis(redis);
  }

  @Bean(destroyMethod = "close")
  @Nullable RedisEventBackend redisEventBackend(
      ObjectProvider<RedisClient> client,
      ObjectProvider<SharedRedis> connection,
      EventSettings settings) {
    RedisClient redis = client.getIfAvailable();
    return redis == null ? null : new RedisEventBackend(redis, connection.getObject(), settings);
  }

  @Bean
  RedisJobBackend.@Nullable Factory redisJobBackendFactory(
      ObjectProvider<RedisClient> client,
      ObjectProvider<SharedRedis> connection,
      RedisSettings settings) {
    RedisClient redis = client.getIfAvailable();
    return redis == null
        ? null
        : new RedisJobBackend.Factory(redis, connection.getObject(), settings.jobStream());
  }

  @Bean
  @Nullable HealthIndicator redisHealthIndicator(ObjectProvider<SharedRedis> shared) {
    SharedRedis connection = shared.getIfAvailable();
    if (connection == null) {
      return null;
    }
    return () -> {
      try {
        String pong = connection.sync().ping();
        return Health.up().withDetail("ping", pong).build();
      } catch (RuntimeException e) {
        return Health.down().withDetail("error", String.valueOf(e.getMessage())).build();
      }
    };
  }
}
