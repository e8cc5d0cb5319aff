package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.TestServers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * While PostgreSQL is down a pod leaves service (readiness 503) and answers requests within seconds
 * with 503 database_unavailable, not after the pool's wait with a 500; it comes back by itself. The
 * test stops a PostgreSQL of its own, never the shared one.
 */
class DatabaseOutageIT {

  /** The engine's default wait for a connection, plus room for a slow machine. */
  private static final Duration FAST = Duration.ofSeconds(6);

  @TempDir Path data;

  @Test
  void aPodLeavesServiceAndAnswers503FastWhilePostgresIsDown()
      throws IOException, InterruptedException {
    int port = TestServers.freePort();
    EmbeddedPostgres pg = postgres(port);
    TestServers.Database db =
        new TestServers.Database(pg.getJdbcUrl("postgres", "postgres"), "postgres");
    try (EngineInstance engine = EngineInstance.start(db, TestServers.redisUrl(), Map.of())) {
      ApiClient admin = engine.adminApi();
      String key =
          admin.post("/api/v1/api-keys", "{\"name\":\"outage\"}").body().get("key").asString();
      ApiClient keyed = ApiClient.withToken(engine.port(), key);
      // A session never used on this pod: its account state is not cached, so authenticating it
      // reads the database, in a filter before any controller.
      ApiClient unseen = engine.api();
      unseen.token();
      String conversation = admin.post("/api/v1/conversations", "{}").body().get("id").asString();
      StreamClients.Ws socket = StreamClients.Ws.connect(admin, "/ws/chat/" + conversation);
      assertThat(admin.get("/actuator/health/readiness").status()).isEqualTo(200);

      pg.close();
      try {
        Reply readiness = timed(() -> admin.get("/actuator/health/readiness"));
        assertThat(readiness.status()).as(readiness.raw()).isEqualTo(503);
        assertThat(readiness.body().at("/components/db/status").asString()).isEqualTo("DOWN");

        assertUnavailable(timed(() -> unseen.get("/api/v1/conversations")));
        // No credentials to check: this one fails in the controller.
        assertUnavailable(
            timed(() -> ApiClient.unauthenticated(engine.port()).post("/api/v1/sessions", "")));
        Reply openAi =
            timed(
                () ->
                    keyed.post(
                        "/v1/chat/completions",
                        "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertThat(openAi.status()).as(openAi.raw()).isEqualTo(503);
        assertThat(openAi.header("Retry-After")).isEqualTo("5");
        assertThat(openAi.body().at("/error/code").asString()).isEqualTo("database_unavailable");
        assertThat(openAi.body().at("/error/type").asString()).isEqualTo("server_error");

        // A socket answers an error frame and stays open, rather than closing with 1011.
        socket.sendJson(Map.of("type", "user_message", "content", "hello?"));
        JsonNode error = socket.next();
        assertThat(error.at("/data/code").asString())
            .as(error.toString())
            .isEqualTo("database_unavailable");
        assertThat(error.at("/data/details/retry_after").asInt()).isEqualTo(5);
        assertThat(socket.isOpen()).isTrue();
        socket.closeBlocking();
      } finally {
        pg = postgres(port);
      }

      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> assertThat(admin.get("/actuator/health/readiness").status()).isEqualTo(200));
      assertThat(admin.get("/api/v1/conversations").status()).isEqualTo(200);
    } finally {
      pg.close();
    }
  }

  private static void assertUnavailable(Reply reply) {
    assertThat(reply.status()).as(reply.raw()).isEqualTo(503);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.header("Retry-After")).isEqualTo("5");
    assertThat(reply.errorCode()).isEqualTo("database_unavailable");
    assertThat(reply.body().at("/error/message").asString()).contains("database");
    assertThat(reply.body().at("/error/trace_id").asString()).matches("[0-9a-f]{32}");
    assertThat(reply.raw()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  /** The reply, once it is known to have come within {@link #FAST}. */
  private static Reply timed(Supplier<Reply> request) {
    long started = System.nanoTime();
    Reply reply = request.get();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.println("[outage] " + reply.status() + " after " + took.toMillis() + " ms");
    assertThat(took).as("answered in %s: %s", took, reply.raw()).isLessThan(FAST);
    return reply;
  }

  /** A PostgreSQL on this test's port and data directory: the same cluster at each start. */
  private EmbeddedPostgres postgres(int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setPort(port)
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .start();
  }
}
