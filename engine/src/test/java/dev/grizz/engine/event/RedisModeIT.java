package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import io.lettuce.core.RedisCommandInterruptedException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** What does and does not count as Redis being down. */
@EngineIT
class RedisModeIT {

  /** The largest id there is: its successor overflowed, and Redis refused the read after it. */
  private static final String NO_SUCCESSOR = "9223372036854775807-9223372036854775807";

  @Autowired RedisMode mode;
  @LocalServerPort int port;

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

  @Test
  void aCursorWithoutSuccessorIsRefusedOnEveryTransportAndLeavesRedisUp()
      throws InterruptedException {
    ApiClient api = new ApiClient(port);
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    String events = "/api/v1/conversations/" + conversation + "/events";
    Instant switched = mode.lastSwitch();

    for (int i = 0; i < 3; i++) {
      ApiClient.Reply poll = api.get(events + "?after=" + NO_SUCCESSOR);
      assertThat(poll.status()).as(poll.raw()).isEqualTo(400);
      assertThat(poll.errorCode()).isEqualTo("invalid_cursor");
    }
    try (StreamClients.Sse sse =
        StreamClients.sse(api, events, Map.of("Last-Event-ID", NO_SUCCESSOR))) {
      assertThat(sse.status).isEqualTo(400);
    }
    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
    try {
      ws.sendJson(Map.of("type", "resume", "last_event_id", NO_SUCCESSOR));
      assertThat(ws.next().at("/data/code").asString()).isEqualTo("invalid_cursor");
    } finally {
      ws.closeBlocking();
    }

    assertThat(mode.redisUp()).isTrue();
    assertThat(mode.lastSwitch()).isEqualTo(switched);
    ApiClient.Reply readiness = api.get("/actuator/health/readiness");
    assertThat(readiness.status()).isEqualTo(200);
    assertThat(readiness.body().at("/components/events/status").asString()).isEqualTo("UP");
    assertThat(readiness.body().at("/components/events/details/mode").asString())
        .isEqualTo("redis");
  }
}
