package dev.grizz.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.EngineProcess;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A pod killed (SIGKILL) while it runs two tool calls: another pod takes the steps over; the
 * idempotent call runs again there, the other is not run again and the model is told it may or may
 * not have happened; the turn completes. Then a call waiting for approval survives a restart of
 * every pod and is approved on the new one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ToolTakeoverIT {

  @TempDir Path home;

  private static JsonNode steps(ApiClient api, String conversation) {
    return api.get("/api/v1/conversations/" + conversation).body().get("steps");
  }

  private static boolean toolsRunning(ApiClient api, String conversation, int count) {
    int running = 0;
    for (JsonNode step : steps(api, conversation)) {
      if (step.get("type").asString().equals("tool")
          && step.get("status").asString().equals("running")) {
        running++;
      }
    }
    return running == count;
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static JsonNode toolStep(JsonNode steps, String name) {
    for (JsonNode step : steps) {
      if (step.get("type").asString().equals("tool")
          && step.at("/metadata/name").asString().equals(name)) {
        return step;
      }
    }
    throw new AssertionError("no tool step for " + name + " in " + steps);
  }

  @Test
  void aKilledPodsToolStepsAreTakenOverAsTheirIdempotencySays() {
    TestServers.Database db = TestServers.newDatabase();
    try (PrivateRedis redis = new PrivateRedis()) {
      Map<String, String> env = new HashMap<>();
      env.put("GRIZZ_DB_URL", db.url());
      env.put("GRIZZ_DB_USER", db.username());
      env.put("GRIZZ_REDIS_URL", redis.url());
      env.put("GRIZZ_JOB_LEASE", "3s");
      env.put("GRIZZ_TEST_TOOLS", "all");
      EngineProcess doomed = EngineProcess.start(home, env);
      try (EngineInstance front =
          EngineInstance.start(
              db, redis.url(), Map.of("grizz.events.workers", "0", "grizz.events.lease", "3s"))) {
        ApiClient api = front.api();
        TestTools.offerTo(api.userId());
        String conversation =
            api.post("/api/v1/conversations", "{\"message\":\"/tool patient {}\\n/tool once {}\"}")
                .body()
                .get("id")
                .asString();
        await(() -> toolsRunning(api, conversation, 2), "both tools to run on the doomed pod");
        int patientBefore = TestTools.PATIENT_RUNS.get();
        int onceBefore = TestTools.ONCE_RUNS.get();
        doomed.kill();

        EngineInstance rescuer =
            EngineInstance.start(db, redis.url(), Map.of("grizz.events.lease", "3s"));
        try {
          await(
              () -> {
                JsonNode all = steps(api, conversation);
                JsonNode last = all.get(all.size() - 1);
                return all.size() == 5
                    && last.get("type").asString().equals("llm")
                    && last.get("status").asString().equals("completed");
              },
              "the turn to complete on the rescuer");
        } finally {
          rescuer.close();
        }
        JsonNode all = steps(api, conversation);
        JsonNode patient = toolStep(all, "patient");
        JsonNode once = toolStep(all, "once");
        assertThat(patient.get("status").asString()).isEqualTo("completed");
        assertThat(patient.at("/metadata/outcome").asString()).isEqualTo("ok");
        assertThat(patient.at("/metadata/attempt").asInt()).isEqualTo(2);
        assertThat(once.get("status").asString()).isEqualTo("failed");
        assertThat(once.at("/metadata/outcome").asString()).isEqualTo("interrupted");
        // Run again here only when idempotent (the first runs were the killed pod's).
        assertThat(TestTools.PATIENT_RUNS.get() - patientBefore).isEqualTo(1);
        assertThat(TestTools.ONCE_RUNS.get() - onceBefore).isZero();
        JsonNode messages = api.get("/api/v1/conversations/" + conversation).body().get("messages");
        assertThat(messages.get(messages.size() - 1).get("content").asString())
            .contains("patience paid")
            .contains("may or may not have taken effect");
      } finally {
        doomed.close();
      }
    }
  }

  @Test
  void aCallWaitingForApprovalSurvivesARestartOfEveryPod() {
    TestServers.Database db = TestServers.newDatabase();
    try (PrivateRedis redis = new PrivateRedis()) {
      Map<String, String> settings = Map.of("grizz.tools.approval-timeout", "10m");
      String conversation;
      String step;
      java.util.UUID user;
      String token;
      try (EngineInstance first = EngineInstance.start(db, redis.url(), settings)) {
        ApiClient api = first.api();
        TestTools.offerTo(api.userId());
        user = api.userId();
        token = api.token();
        conversation =
            api.post("/api/v1/conversations", "{\"message\":\"/tool guarded {}\"}")
                .body()
                .get("id")
                .asString();
        await(
            () -> {
              JsonNode all = steps(api, conversation);
              JsonNode last = all.get(all.size() - 1);
              return last.get("status").asString().equals("waiting");
            },
            "the call to wait for approval");
        JsonNode all = steps(api, conversation);
        step = all.get(all.size() - 1).get("id").asString();
      }
      try (EngineInstance second = EngineInstance.start(db, redis.url(), settings)) {
        ApiClient api = ApiClient.withToken(second.port(), token);
        assertThat(api.userId()).isEqualTo(user);
        int before = TestTools.GUARDED_RUNS.get();
        ApiClient.Reply approved =
            api.post(
                "/api/v1/conversations/" + conversation + "/steps/" + step + "/approval",
                "{\"approve\":true}");
        assertThat(approved.status()).isEqualTo(202);
        await(
            () -> {
              JsonNode all = steps(api, conversation);
              JsonNode last = all.get(all.size() - 1);
              return last.get("type").asString().equals("llm")
                  && last.get("status").asString().equals("completed");
            },
            "the approved call and the answer after it");
        assertThat(TestTools.GUARDED_RUNS.get() - before).isEqualTo(1);
      }
    }
  }
}
