package dev.grizz.engine.event;

import static dev.grizz.engine.StreamClients.assertCompleteReply;
import static dev.grizz.engine.StreamClients.finished;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.StepLogs;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Redis dies mid-answer (its own redis-server, never the shared one): the stream completes through
 * PostgreSQL, readiness says degraded, and when Redis is back the engine returns to it.
 */
// A bound for CI: a fault test that hangs (a stream that never ends) fails instead.
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedisOutageIT {

  private static String mode(ApiClient api) {
    return api.get("/actuator/health/readiness")
        .body()
        .at("/components/events/details/mode")
        .asString();
  }

  private static String lastMessage(JsonNode conversation) {
    JsonNode messages = conversation.get("messages");
    return messages.get(messages.size() - 1).get("content").asString();
  }

  @Test
  void aStreamOutlivesRedisAndTheEngineReturnsToRedis() {
    TestServers.Database db = TestServers.newDatabase();
    try (PrivateRedis redis = new PrivateRedis();
        EngineInstance engine =
            EngineInstance.start(
                db,
                redis.url(),
                Map.of("grizz.demo.tokens-per-second", "15", "grizz.events.lease", "3s"))) {
      ApiClient api = engine.api();
      ApiClient admin = engine.adminApi(); // health details are for admins
      String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
      String first =
          api.post(
                  "/api/v1/conversations/" + conversation + "/messages", "{\"content\":\"outage\"}")
              .body()
              .get("step_id")
              .asString();

      List<JsonNode> events = new ArrayList<>();
      try (StreamClients.Sse sse =
          StreamClients.sse(api, "/api/v1/conversations/" + conversation + "/events", Map.of())) {
        while (events.stream().filter(e -> e.get("type").asString().equals("message.delta")).count()
            < 3) {
          events.add(sse.next());
        }
        redis.stop();
        events.addAll(sse.until(finished(first)));
      }
      assertCompleteReply(events, first, lastMessage(api.awaitAnswered(conversation)));
      ApiClient.Reply ready = api.get("/actuator/health/readiness");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.body().at("/components/events/status").asString()).isEqualTo("DEGRADED");
      assertThat(mode(admin)).isEqualTo("postgres");

      // While Redis is down a new message is queued and streamed through PostgreSQL alone.
      String during =
          api.post(
                  "/api/v1/conversations/" + conversation + "/messages",
                  "{\"content\":\"still here\"}")
              .body()
              .get("step_id")
              .asString();
      try (StreamClients.Sse sse =
          StreamClients.sse(api, "/api/v1/conversations/" + conversation + "/events", Map.of())) {
        assertCompleteReply(
            sse.until(finished(during)), during, lastMessage(api.awaitAnswered(conversation)));
      }
      StepLogs.assertOneAnswer(
          StepLogs.read(engine, conversation, during),
          lastMessage(api.awaitAnswered(conversation)));

      redis.start();
      await().atMost(Duration.ofSeconds(15)).until(() -> mode(admin).equals("redis"));

      String after =
          api.post(
                  "/api/v1/conversations/" + conversation + "/messages",
                  "{\"content\":\"welcome back\"}")
              .body()
              .get("step_id")
              .asString();
      String lastSeen = events.getLast().get("id").asString();
      try (StreamClients.Sse sse =
          StreamClients.sse(
              api,
              "/api/v1/conversations/" + conversation + "/events",
              Map.of("Last-Event-ID", lastSeen))) {
        // From a cursor taken before the outage: the PostgreSQL events, then the Redis ones.
        List<JsonNode> resumed = sse.until(finished(after));
        assertCompleteReply(resumed, during, resumedText(api, conversation, 3));
        assertCompleteReply(resumed, after, lastMessage(api.awaitAnswered(conversation)));
      }
      StepLogs.assertOneAnswer(
          StepLogs.read(engine, conversation, after), lastMessage(api.awaitAnswered(conversation)));
      RedisClient client = RedisClient.create(redis.url());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        assertThat(connection.sync().xlen(RedisEventBackend.key(UUID.fromString(conversation))))
            .as("events after the return are in Redis")
            .isPositive();
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void anEngineStartsWhileRedisIsDownAndJoinsItLater() {
    TestServers.Database db = TestServers.newDatabase();
    try (PrivateRedis redis = new PrivateRedis(false);
        EngineInstance engine =
            EngineInstance.start(db, redis.url(), Map.of("grizz.events.lease", "3s"))) {
      ApiClient api = engine.api();
      ApiClient admin = engine.adminApi(); // health details are for admins
      await().atMost(Duration.ofSeconds(10)).until(() -> mode(admin).equals("postgres"));

      String conversation =
          api.post("/api/v1/conversations", "{\"message\":\"no redis yet\"}")
              .body()
              .get("id")
              .asString();
      assertThat(api.awaitAnswered(conversation).get("messages")).hasSize(2);

      redis.start();
      await().atMost(Duration.ofSeconds(15)).until(() -> mode(admin).equals("redis"));
      api.post(
          "/api/v1/conversations/" + conversation + "/messages",
          "{\"content\":\"now with redis\"}");
      assertThat(api.awaitAnswered(conversation).get("messages")).hasSize(4);
    }
  }

  private static String resumedText(ApiClient api, String conversation, int messageIndex) {
    return api.get("/api/v1/conversations/" + conversation)
        .body()
        .get("messages")
        .get(messageIndex)
        .get("content")
        .asString();
  }
}
