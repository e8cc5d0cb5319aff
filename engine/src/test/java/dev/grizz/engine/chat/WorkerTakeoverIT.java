package dev.grizz.engine.chat;

import static dev.grizz.engine.StreamClients.assertCompleteReply;
import static dev.grizz.engine.StreamClients.finished;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.EngineProcess;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.StepLogs;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.TestServers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A worker killed mid-answer (SIGKILL, no cleanup): another pod takes the job over once its lease
 * runs out, restarts the step, and the conversation ends with exactly one complete answer.
 */
// A bound for CI: a fault test that hangs (a stream that never ends) fails instead.
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerTakeoverIT {

  @TempDir Path home;

  @Test
  void anotherPodFinishesTheStepOfAKilledWorker() {
    TestServers.Database db = TestServers.newDatabase();
    try (PrivateRedis redis = new PrivateRedis()) {
      Map<String, String> slowWorker =
          Map.of(
              "GRIZZ_DB_URL", db.url(),
              "GRIZZ_DB_USER", db.username(),
              "GRIZZ_REDIS_URL", redis.url(),
              "GRIZZ_DEMO_TOKENS_PER_SECOND", "10",
              "GRIZZ_JOB_LEASE", "3s");
      EngineProcess doomed = EngineProcess.start(home, slowWorker);
      try (EngineInstance front =
          EngineInstance.start(
              db, redis.url(), Map.of("grizz.events.workers", "0", "grizz.events.lease", "3s"))) {
        ApiClient api = front.api();
        String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
        String step =
            api.post(
                    "/api/v1/conversations/" + conversation + "/messages",
                    "{\"content\":\"survive a crash\"}")
                .body()
                .get("step_id")
                .asString();

        List<JsonNode> events = new ArrayList<>();
        try (StreamClients.Sse sse =
            StreamClients.sse(api, "/api/v1/conversations/" + conversation + "/events", Map.of())) {
          while (events.stream()
                  .filter(e -> e.get("type").asString().equals("message.delta"))
                  .count()
              < 3) {
            events.add(sse.next());
          }
          doomed.kill();
          EngineInstance rescuer =
              EngineInstance.start(
                  db,
                  redis.url(),
                  Map.of("grizz.events.lease", "3s", "grizz.demo.tokens-per-second", "200"));
          try {
            events.addAll(sse.until(finished(step)));
          } finally {
            rescuer.close();
          }
        }

        assertThat(events).extracting(e -> e.get("type").asString()).contains("step.restarted");
        JsonNode stored = api.awaitAnswered(conversation);
        assertThat(stored.get("messages")).hasSize(2);
        JsonNode answer = stored.get("messages").get(1);
        assertThat(answer.get("role").asString()).isEqualTo("assistant");
        assertThat(answer.get("content").asString()).isEqualTo(DemoReplies.full("survive a crash"));
        assertThat(stored.get("steps").get(1).get("status").asString()).isEqualTo("completed");
        assertThat(stored.get("steps").get(1).at("/metadata/attempt").asInt()).isEqualTo(2);
        assertCompleteReply(events, step, answer.get("content").asString());
        StepLogs.assertOneAnswer(
            StepLogs.read(front, conversation, step), answer.get("content").asString());
      } finally {
        doomed.close();
      }
    }
  }

  @Test
  void aBackgroundResponseOfAKilledWorkerIsAnsweredByAnotherPod() throws InterruptedException {
    TestServers.Database db = TestServers.newDatabase();
    try (PrivateRedis redis = new PrivateRedis()) {
      EngineProcess doomed =
          EngineProcess.start(
              home,
              Map.of(
                  "GRIZZ_DB_URL", db.url(),
                  "GRIZZ_DB_USER", db.username(),
                  "GRIZZ_REDIS_URL", redis.url(),
                  "GRIZZ_DEMO_TOKENS_PER_SECOND", "5",
                  "GRIZZ_JOB_LEASE", "3s"));
      try (EngineInstance front =
          EngineInstance.start(
              db, redis.url(), Map.of("grizz.events.workers", "0", "grizz.events.lease", "3s"))) {
        ApiClient api = front.api();
        ApiClient.Reply created =
            api.post("/v1/responses", "{\"background\":true,\"input\":\"outlive your pod\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        String id = created.body().get("id").asString();
        // The only pod with workers claims it.
        while (!api.get("/v1/responses/" + id)
            .body()
            .get("status")
            .asString()
            .equals("in_progress")) {
          Thread.sleep(50);
        }
        doomed.kill();
        EngineInstance rescuer =
            EngineInstance.start(
                db,
                redis.url(),
                Map.of("grizz.events.lease", "3s", "grizz.demo.tokens-per-second", "200"));
        try {
          JsonNode done = null;
          for (int i = 0; i < 600; i++) {
            done = api.get("/v1/responses/" + id).body();
            if (!List.of("queued", "in_progress").contains(done.get("status").asString())) {
              break;
            }
            Thread.sleep(50);
          }
          assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("completed");
          assertThat(done.at("/output/0/content/0/text").asString())
              .isEqualTo(DemoReplies.full("outlive your pod"));
          Integer attempt =
              front
                  .bean(org.springframework.jdbc.core.simple.JdbcClient.class)
                  .sql("select (metadata ->> 'attempt')::int from steps where type = 'response'")
                  .query(Integer.class)
                  .single();
          assertThat(attempt).isEqualTo(2);
        } finally {
          rescuer.close();
        }
      } finally {
        doomed.close();
      }
    }
  }
}
