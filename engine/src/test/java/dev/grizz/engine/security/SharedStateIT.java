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
 * What pods share through Redis: the message limit is one bucket per user for every pod, counting
 * REST, WebSocket and OpenAI-compatible requests alike, with a bucket per pod while Redis is down;
 * signed requests' nonces are kept in PostgreSQL alone, so a replay to any pod is refused before,
 * during and after a Redis outage, and after Redis restarts without its data.
 */
class SharedStateIT {

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

  private static void awaitEventMode(ApiClient anyone, String mode) {
    // Health details are for admins.
    ApiClient api = (anyone.port() == a.port() ? a : b).adminApi();
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

    // One hot bucket: many more racing requests than the limit, half on each pod (each pod's
    // requests share one batched proxy of the bucket; the pods race each other in Redis).
    int attempts = 64;
    List<Future<ApiClient.Reply>> replies = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < attempts; i++) {
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
    assertThat(refused).hasSize(attempts - LIMIT);
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
  void aReplayedSignedRequestIsRefusedOnAnotherPodWithOrWithoutRedis() {
    ApiClient onA = a.api();
    String email = "nonce-" + java.util.UUID.randomUUID() + "@example.com";
    ApiClient account =
        ApiClient.withToken(
            a.port(),
            onA.post(
                    "/api/v1/accounts",
                    "{\"email\":\"" + email + "\",\"password\":\"a good password\"}")
                .body()
                .get("access_token")
                .asString());
    JsonNode created = account.post("/api/v1/api-keys", "{\"name\":\"server\"}").body();
    String key = created.get("key").asString();
    String keyId = created.get("id").asString();
    byte[] signingKey = ApiKeys.sha256(key.substring(key.lastIndexOf('_') + 1));
    ApiClient anyoneOnA = ApiClient.unauthenticated(a.port());
    ApiClient anyoneOnB = ApiClient.unauthenticated(b.port());
    awaitEventMode(anyoneOnA, "redis");
    awaitEventMode(anyoneOnB, "redis");
    long now = java.time.Instant.now().getEpochSecond();
    Map<String, String> first =
        AuthIT.signed(keyId, signingKey, "GET", "/api/v1/me", now, "replay-with-redis-1", "");

    ApiClient.Reply firstReply = anyoneOnA.get("/api/v1/me", first);
    assertThat(firstReply.status()).as(firstReply.raw()).isEqualTo(200);
    assertThat(anyoneOnB.get("/api/v1/me", first).errorCode()).isEqualTo("nonce_reused");

    redis.stop();
    try {
      awaitEventMode(anyoneOnA, "postgres");
      awaitEventMode(anyoneOnB, "postgres");
      Map<String, String> second =
          AuthIT.signed(keyId, signingKey, "GET", "/api/v1/me", now, "replay-without-redis", "");
      assertThat(anyoneOnA.get("/api/v1/me", second).status()).isEqualTo(200);
      assertThat(anyoneOnB.get("/api/v1/me", second).errorCode()).isEqualTo("nonce_reused");
    } finally {
      redis.start();
    }
  }

  /** An API key of a new account, and signed {@code POST /api/v1/conversations} with it. */
  private record SigningKey(String id, byte[] secret) {
    static SigningKey create() {
      String email = "nonce-" + java.util.UUID.randomUUID() + "@example.com";
      ApiClient account =
          ApiClient.withToken(
              a.port(),
              ApiClient.unauthenticated(a.port())
                  .post(
                      "/api/v1/accounts",
                      "{\"email\":\"" + email + "\",\"password\":\"a good password\"}")
                  .body()
                  .get("access_token")
                  .asString());
      JsonNode created = account.post("/api/v1/api-keys", "{\"name\":\"server\"}").body();
      String key = created.get("key").asString();
      return new SigningKey(
          created.get("id").asString(), ApiKeys.sha256(key.substring(key.lastIndexOf('_') + 1)));
    }

    Map<String, String> post(String nonce) {
      return AuthIT.signed(
          id,
          secret,
          "POST",
          "/api/v1/conversations",
          java.time.Instant.now().getEpochSecond(),
          nonce,
          "{}");
    }
  }

  private static ApiClient.Reply send(EngineInstance pod, Map<String, String> signed) {
    return ApiClient.unauthenticated(pod.port())
        .send("/api/v1/conversations", "POST", "{}", "application/json", signed);
  }

  private static void awaitBoth(String mode) {
    awaitEventMode(ApiClient.unauthenticated(a.port()), mode);
    awaitEventMode(ApiClient.unauthenticated(b.port()), mode);
  }

  @Test
  void aNonceUsedBeforeARedisOutageIsRefusedDuringIt() {
    SigningKey key = SigningKey.create();
    awaitBoth("redis");
    Map<String, String> request = key.post("before-the-outage-1");
    assertThat(send(a, request).status()).isEqualTo(201);

    redis.stop();
    try {
      awaitBoth("postgres");
      assertThat(send(b, request).errorCode()).isEqualTo("nonce_reused");
      assertThat(send(a, request).errorCode()).isEqualTo("nonce_reused");
    } finally {
      redis.start();
    }
  }

  @Test
  void aNonceUsedDuringARedisOutageIsRefusedAfterIt() {
    SigningKey key = SigningKey.create();
    Map<String, String> request = key.post("during-the-outage-1");
    redis.stop();
    try {
      awaitBoth("postgres");
      assertThat(send(a, request).status()).isEqualTo(201);
    } finally {
      redis.start();
    }
    awaitBoth("redis");
    assertThat(send(b, request).errorCode()).isEqualTo("nonce_reused");
    assertThat(send(a, request).errorCode()).isEqualTo("nonce_reused");
  }

  @Test
  void aNonceIsRefusedAfterRedisRestartsWithoutItsData() {
    SigningKey key = SigningKey.create();
    awaitBoth("redis");
    Map<String, String> request = key.post("before-a-restart-1");
    assertThat(send(a, request).status()).isEqualTo(201);

    // Down and back, empty, faster than the pods may notice.
    redis.stop();
    redis.start();
    awaitBoth("redis");
    assertThat(send(b, request).errorCode()).isEqualTo("nonce_reused");
    assertThat(send(a, request).errorCode()).isEqualTo("nonce_reused");
  }

  @Test
  void expiredNoncesAreDeletedAndLiveOnesKept() {
    Nonces nonces = a.bean(Nonces.class);
    java.util.UUID key = java.util.UUID.randomUUID();
    assertThat(nonces.firstUse(key, "expired-nonce-001", Duration.ofSeconds(-1))).isTrue();
    assertThat(nonces.firstUse(key, "live-nonce-000001", Duration.ofMinutes(10))).isTrue();

    assertThat(nonces.deleteExpired()).isPositive();

    assertThat(nonces.firstUse(key, "expired-nonce-001", Duration.ofMinutes(10))).isTrue();
    assertThat(nonces.firstUse(key, "live-nonce-000001", Duration.ofMinutes(10))).isFalse();
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
