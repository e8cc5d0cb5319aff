package dev.grizz.engine.event;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Connects to Redis only when GRIZZ_REDIS_URL is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${grizz.redis.url:}'.isBlank()")
class RedisConfig {

  @Bean(destroyMethod = "shutdown")
  RedisClient redisClient(RedisSettings settings) {
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
  SharedRedis sharedRedis(RedisClient client) {
    return new SharedRedis(client);
  }

  @Bean(destroyMethod = "close")
  RedisEventBackend redisEventBackend(
      RedisClient client, SharedRedis connection, EventSettings settings) {
    return new RedisEventBackend(client, connection, settings);
  }

  @Bean
  RedisJobBackend.Factory redisJobBackendFactory(RedisClient client, SharedRedis connection) {
    return new RedisJobBackend.Factory(client, connection);
  }

  @Bean
  HealthIndicator redisHealthIndicator(SharedRedis connection) {
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
