package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.EngineIT;
import io.lettuce.core.RedisCommandInterruptedException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** What does and does not count as Redis being down. */
@EngineIT
class RedisModeIT {

  @Autowired RedisMode mode;

  @Test
  void aCommandInterruptedByItsOwnThreadDoesNotSwitchThePodToPostgres() throws Exception {
    assertThat(mode.configured()).isTrue();
    assertThat(mode.redisUp()).isTrue();

    mode.redisFailed(new RedisCommandInterruptedException(new InterruptedException()));
    Thread interrupted =
        Thread.ofPlatform()
            .start(
                () -> {
                  Thread.currentThread().interrupt();
                  mode.redisFailed(new IllegalStateException("read cut short"));
                });
    interrupted.join();

    assertThat(mode.redisUp()).isTrue();
  }
}
