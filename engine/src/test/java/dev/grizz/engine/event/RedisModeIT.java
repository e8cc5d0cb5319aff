package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.SetArgs;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** What does and does not count as Redis being down. */
@EngineIT
class RedisModeIT {

  /** The largest id there is: its successor overflowed, and Redis refused the read after it. */
  private static final String NO_SUCCESSOR = "9223372036854775807-9223372036854775807";

  @Autowired RedisMode mode;
  @Autowired RedisGate gate;
  @LocalServerPort int port;
  @Autowired dev.grizz.engine.security.Accounts accounts;

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
  void anErrorReplyFallsBackForItsCommandWithoutSwitchingThePod() {
    assertThat(mode.redisUp()).isTrue();
    Instant switched = mode.lastSwitch();
    String key = "grizz:test:" + UUID.randomUUID();

    Optional<Object> refused = gate.tryRun(c -> c.xrange(key, Range.create("1-x", "+")));
    Optional<Object> wrongType =
        gate.tryRun(
            c -> {
              c.set(key, "not a stream", SetArgs.Builder.ex(60));
              return c.xrange(key, Range.unbounded());
            });

    assertThat(refused).isEmpty();
    assertThat(wrongType).isEmpty();
    // Compared with the last switch, not only the mode: the probe would hide a switch in 500 ms.
    assertThat(mode.redisUp()).isTrue();
    assertThat(mode.lastSwitch()).isEqualTo(switched);
    assertThat(gate.tryRun(c -> c.ping())).contains("PONG");
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
    ApiClient.Reply readiness =
        ApiClient.admin(port, accounts).get("/actuator/health/readiness"); // details: admins
    assertThat(readiness.status()).isEqualTo(200);
    assertThat(readiness.body().at("/components/events/status").asString()).isEqualTo("UP");
    assertThat(readiness.body().at("/components/events/details/mode").asString())
        .isEqualTo("redis");
  }
}
