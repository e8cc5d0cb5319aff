package dev.grizz.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The message limit is one bucket per user shared by every pod (Redis), counts REST, WebSocket and
 * OpenAI-compatible requests alike, and falls back to a bucket per pod while Redis is down.
 */
class RateLimitIT {

  static final int LIMIT = 5;
  static PrivateRedis redis;
  static EngineInstance a;
  static EngineInstance b;

  @BeforeAll
  static void startPods() {
    TestServers.Database db = TestServers.newDatabase();
    redis = new PrivateRedis();
    Map<String, String> limited =
        Map.of(
            "grizz.rate.messages-anonymous", Integer.toString(LIMIT), "grizz.events.workers", "0");
    a = EngineInstance.start(db, redis.url(), limited);
    b = EngineInstance.start(db, redis.url(), limited);
  }

  @AfterAll
  static void stopPods() {
    for (AutoCloseable closeable : new AutoCloseable[] {b, a, redis}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private static void awaitEventMode(ApiClient api, String mode) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                api.get("/actuator/health/readiness")
                    .body()
                    .at("/components/events/details/mode")
                    .asString()
                    .equals(mode));
  }

  @Test
  void concurrentMessagesOverTwoPodsGetNoMoreThanTheSharedLimit() throws Exception {
    ApiClient onA = a.api();
    ApiClient onB = onA.onPort(b.port());
    awaitEventMode(onA, "redis");
    awaitEventMode(onB, "redis");
    String conversation = onA.post("/api/v1/conversations", "{}").body().get("id").asString();

    List<Future<ApiClient.Reply>> replies = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 4 * LIMIT; i++) {
        ApiClient api = i % 2 == 0 ? onA : onB;
        String body = "{\"content\":\"message " + i + "\"}";
        replies.add(
            pool.submit(
                () -> api.post("/api/v1/conversations/" + conversation + "/messages", body)));
      }
    }
    List<ApiClient.Reply> done = new ArrayList<>();
    for (Future<ApiClient.Reply> reply : replies) {
      done.add(reply.get());
    }

    assertThat(done.stream().filter(r -> r.status() == 202)).hasSize(LIMIT);
    List<ApiClient.Reply> refused = done.stream().filter(r -> r.status() == 429).toList();
    assertThat(refused).hasSize(3 * LIMIT);
    ApiClient.Reply one = refused.getFirst();
    assertThat(one.errorCode()).isEqualTo("rate_limited");
    assertThat(Long.parseLong(one.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(one.header("RateLimit-Limit")).isEqualTo(Integer.toString(LIMIT));
    assertThat(one.header("RateLimit-Remaining")).isEqualTo("0");
    assertThat(one.body().at("/error/details/retry_after_seconds").asLong()).isPositive();
    ApiClient.Reply accepted =
        done.stream().filter(r -> r.status() == 202).findFirst().orElseThrow();
    assertThat(accepted.header("RateLimit-Limit")).isEqualTo(Integer.toString(LIMIT));

    // The same bucket answers the WebSocket and the OpenAI-compatible API.
    StreamClients.Ws ws = StreamClients.Ws.connect(onB, "/ws/chat/" + conversation);
    try {
      ws.sendJson(Map.of("type", "user_message", "content", "one more"));
      JsonNode frame = ws.next();
      while (!frame.path("type").asString().equals("error")) {
        frame = ws.next();
      }
      assertThat(frame.at("/data/code").asString()).isEqualTo("rate_limited");
      assertThat(frame.at("/data/details/retry_after_seconds").asLong()).isPositive();
    } finally {
      ws.closeBlocking();
    }
    ApiClient.Reply openAi =
        onA.post(
            "/v1/chat/completions",
            "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(openAi.status()).isEqualTo(429);
    assertThat(openAi.body().at("/error/type").asString()).isEqualTo("rate_limit_error");
    assertThat(openAi.header("Retry-After")).isNotBlank();

    // Another user has a bucket of their own.
    ApiClient other = b.api();
    String theirs = other.post("/api/v1/conversations", "{}").body().get("id").asString();
    assertThat(
            other
                .post("/api/v1/conversations/" + theirs + "/messages", "{\"content\":\"hi\"}")
                .status())
        .isEqualTo(202);
  }

  @Test
  void whileRedisIsDownEachPodLimitsOnItsOwn() {
    ApiClient api = a.api();
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    redis.stop();
    try {
      awaitEventMode(api, "postgres");
      int accepted = 0;
      int refused = 0;
      for (int i = 0; i < LIMIT + 2; i++) {
        int status =
            api.post(
                    "/api/v1/conversations/" + conversation + "/messages",
                    "{\"content\":\"offline " + i + "\"}")
                .status();
        if (status == 202) {
          accepted++;
        } else if (status == 429) {
          refused++;
        }
      }
      assertThat(accepted).isEqualTo(LIMIT);
      assertThat(refused).isEqualTo(2);
    } finally {
      redis.start();
    }
  }
}
