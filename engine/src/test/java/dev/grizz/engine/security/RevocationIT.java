package dev.grizz.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.TestServers;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A suspension or an erasure made on one pod ends the user's tokens and open sockets on every pod
 * within seconds: by a broadcast when it gets through, else by each pod's periodic re-check.
 */
class RevocationIT {

  static PrivateRedis redis;
  static EngineInstance a;
  static EngineInstance b;

  @BeforeAll
  static void startPods() {
    TestServers.Database db = TestServers.newDatabase();
    redis = new PrivateRedis();
    a = EngineInstance.start(db, redis.url(), Map.of());
    b = EngineInstance.start(db, redis.url(), Map.of());
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

  /** A signed-up account on pod A: its session's answer and a client with its access token. */
  private record Account(JsonNode session, ApiClient onA, ApiClient onB) {
    static Account signUp() {
      String email = "revoke-" + UUID.randomUUID() + "@example.com";
      ApiClient.Reply reply =
          ApiClient.unauthenticated(a.port())
              .post(
                  "/api/v1/accounts",
                  "{\"email\":\"" + email + "\",\"password\":\"a good password\"}");
      assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
      ApiClient onA = ApiClient.withToken(a.port(), reply.body().get("access_token").asString());
      return new Account(reply.body(), onA, onA.onPort(b.port()));
    }

    UUID id() {
      return UUID.fromString(session.at("/user/id").asString());
    }

    ApiClient.Reply refreshOn(EngineInstance pod) {
      return ApiClient.unauthenticated(pod.port())
          .post(
              "/api/v1/sessions/refresh",
              "{\"refresh_token\":\"" + session.get("refresh_token").asString() + "\"}");
    }

    /** A socket on pod B, checked to answer. */
    StreamClients.Ws socketOnB() {
      String conversation = onA.post("/api/v1/conversations", "{}").body().get("id").asString();
      StreamClients.Ws ws = StreamClients.Ws.connect(onB, "/ws/chat/" + conversation);
      ws.sendJson(Map.of("type", "ping"));
      assertThat(ws.next().get("type").asString()).isEqualTo("pong");
      return ws;
    }
  }

  private static UUID violationOf(UUID user) {
    UUID id = UUID.randomUUID();
    a.bean(JdbcClient.class)
        .sql(
            """
            insert into policy_violations (id, user_id, content, categories, scores, "timestamp")
            values (:id, :u, 'something bad', '{"harassment": true}', '{"harassment": 0.9}', :t)
            """)
        .param("id", id)
        .param("u", user)
        .param("t", Timestamp.from(Instant.now()))
        .update();
    return id;
  }

  /** Waits for the socket's error frame and its close; returns how long that took. */
  private static Duration awaitEnded(
      StreamClients.Ws ws, String code, int closeCode, Duration within) {
    long start = System.nanoTime();
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> ws.isClosed() && ws.closeCode != 0);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(ws.closeCode).isEqualTo(closeCode);
    JsonNode last = null;
    for (JsonNode frame : ws.frames) {
      last = frame;
    }
    assertThat(last).as("an error frame before the close").isNotNull();
    assertThat(last.get("type").asString()).isEqualTo("error");
    assertThat(last.at("/data/code").asString()).isEqualTo(code);
    return took;
  }

  @Test
  void aSuspensionOnOnePodEndsTheUsersSocketAndTokensOnAnother() throws Exception {
    Account user = Account.signUp();
    StreamClients.Ws ws = user.socketOnB();
    UUID violation = violationOf(user.id());

    ApiClient.Reply reviewed =
        a.adminApi()
            .post("/api/v1/admin/violations/" + violation + "/review", "{\"action\":\"suspend\"}");
    assertThat(reviewed.status()).as(reviewed.raw()).isEqualTo(200);

    Duration took = awaitEnded(ws, "account_suspended", 4403, Duration.ofSeconds(4));
    System.out.println("socket on the other pod closed " + took.toMillis() + " ms after review");
    assertThat(user.onB().get("/api/v1/me").errorCode()).isEqualTo("account_suspended");
    assertThat(user.refreshOn(b).errorCode()).isEqualTo("account_suspended");
    StreamClients.Ws again = new StreamClients.Ws(user.onB(), "/ws/chat/" + UUID.randomUUID());
    assertThat(again.connectBlocking(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void aSuspensionEndsAnOpenEventStreamOnAnotherPod() throws Exception {
    Account user = Account.signUp();
    String conversation =
        user.onA().post("/api/v1/conversations", "{}").body().get("id").asString();
    try (StreamClients.Sse sse =
        StreamClients.sse(
            user.onB(), "/api/v1/conversations/" + conversation + "/events", Map.of())) {
      assertThat(sse.status).isEqualTo(200);
      CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(sse::next);

      ApiClient.Reply reviewed =
          a.adminApi()
              .post(
                  "/api/v1/admin/violations/" + violationOf(user.id()) + "/review",
                  "{\"action\":\"suspend\"}");
      assertThat(reviewed.status()).isEqualTo(200);

      JsonNode error = first.get(4, TimeUnit.SECONDS);
      assertThat(error.get("type").asString()).isEqualTo("error");
      assertThat(error.at("/data/code").asString()).isEqualTo("account_suspended");
      CompletableFuture<JsonNode> after = CompletableFuture.supplyAsync(sse::next);
      assertThatThrownBy(() -> after.get(4, TimeUnit.SECONDS))
          .hasCauseInstanceOf(AssertionError.class)
          .hasMessageContaining("ended");
    }
  }

  @Test
  void aSuspensionNoPodWasToldOfStillEndsOpenSocketsWithinSeconds() {
    Account user = Account.signUp();
    StreamClients.Ws ws = user.socketOnB();

    // Straight into the database: no broadcast, as if every pod had missed it.
    a.bean(JdbcClient.class)
        .sql("update users set suspended_at = now() where id = :id")
        .param("id", user.id())
        .update();

    Duration took = awaitEnded(ws, "account_suspended", 4403, Duration.ofSeconds(15));
    System.out.println("socket closed by the periodic check after " + took.toMillis() + " ms");
  }

  @Test
  void erasingAUserEndsTheirTokensAndSocketsOnEveryPod() {
    Account user = Account.signUp();
    StreamClients.Ws ws = user.socketOnB();
    // Cached on pod B as an active user just before the erasure.
    assertThat(user.onB().get("/api/v1/me").status()).isEqualTo(200);

    ApiClient.Reply erased = user.onA().delete("/api/v1/users/" + user.id());
    assertThat(erased.status()).as(erased.raw()).isEqualTo(200);

    for (ApiClient api : new ApiClient[] {user.onA(), user.onB()}) {
      await().atMost(Duration.ofSeconds(4)).until(() -> api.get("/api/v1/me").status() == 401);
      assertThat(api.get("/api/v1/me").errorCode()).isEqualTo("invalid_token");
      assertThat(api.post("/api/v1/conversations", "{}").status()).isEqualTo(401);
    }
    assertThat(user.refreshOn(a).status()).isEqualTo(401);
    assertThat(user.refreshOn(b).status()).isEqualTo(401);
    awaitEnded(ws, "invalid_token", 4401, Duration.ofSeconds(4));
  }
}
