package dev.grizz.engine.codeinterpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The code sandbox's limits on a pod of its own: a user's sessions past the cap evict their least
 * recently used idle one, an idle session is reaped, and the daily sandbox seconds run out. In each
 * case the model is told plainly (a new session, variables gone; the budget spent).
 */
class CodeSessionLimitsIT {

  static PrivateRedis redis;
  static EngineInstance pod;

  @BeforeAll
  static void start() {
    redis = new PrivateRedis();
    pod =
        EngineInstance.start(
            TestServers.newDatabase(),
            redis.url(),
            Map.of(
                "grizz.sandbox.max-sessions-per-user", "1",
                "grizz.sandbox.idle-timeout", "6s",
                "grizz.sandbox.daily-seconds-per-user", "4"));
  }

  @AfterAll
  static void stop() {
    if (pod != null) {
      pod.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static String conversation(ApiClient api) {
    return api.post("/api/v1/conversations", "{}").body().get("id").asString();
  }

  private static JsonNode run(ApiClient api, String conversation, String code) {
    api.post(
        "/api/v1/conversations/" + conversation + "/messages",
        "{\"content\":" + api.quote("```python\n" + code + "\n```") + "}");
    List<JsonNode> events;
    try (StreamClients.Sse sse =
        StreamClients.sse(api, "/api/v1/conversations/" + conversation + "/events", Map.of())) {
      events = sse.until(CodeInterpreterIT.TURN_ENDED);
    }
    return events.stream()
        .filter(e -> e.path("type").asString().equals("tool.result"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no tool.result in " + events));
  }

  private static CodeSessions sessions() {
    CodeSessions sessions = pod.bean(CodeSessions.class);
    Assumptions.assumeTrue(sessions.enabled(), "no sandbox backend runs on this machine");
    return sessions;
  }

  @Test
  void aSecondSessionOfAUserEvictsTheFirstAndItsVariablesAreGone() {
    CodeSessions sessions = sessions();
    ApiClient api = pod.api();
    String first = conversation(api);
    String second = conversation(api);
    assertThat(run(api, first, "a = 1").at("/data/status").asString()).isEqualTo("ok");
    assertThat(run(api, second, "b = 2").at("/data/status").asString()).isEqualTo("ok");

    JsonNode again = run(api, first, "print(a)");
    assertThat(again.at("/data/status").asString()).isEqualTo("error");
    assertThat(again.at("/data/result").asString())
        .contains("A new session was started")
        .contains("NameError");
    // One session for the user: the first conversation's new one took the second's place.
    assertThat(sessions.sessionOf(java.util.UUID.fromString(first))).isNotNull();
    assertThat(sessions.sessionOf(java.util.UUID.fromString(second))).isNull();
  }

  @Test
  void anIdleSessionIsStoppedAndTheNextCallStartsAFreshOne() throws InterruptedException {
    CodeSessions sessions = sessions();
    ApiClient api = pod.api();
    String conversation = conversation(api);
    assertThat(run(api, conversation, "x = 1").at("/data/status").asString()).isEqualTo("ok");
    java.util.UUID id = java.util.UUID.fromString(conversation);
    for (int i = 0; i < 100 && sessions.sessionOf(id) != null; i++) {
      Thread.sleep(200);
    }
    assertThat(sessions.sessionOf(id)).as("reaped after its idle timeout").isNull();
    assertThat(run(api, conversation, "print(x)").at("/data/result").asString())
        .contains("A new session was started");
  }

  @Test
  void theDailySandboxSecondsRunOut() {
    sessions();
    ApiClient api = pod.api();
    String conversation = conversation(api);
    assertThat(run(api, conversation, "import time\ntime.sleep(4.5)").at("/data/status").asString())
        .isEqualTo("ok");
    JsonNode refused = run(api, conversation, "print(1)");
    assertThat(refused.at("/data/status").asString()).isEqualTo("error");
    assertThat(refused.at("/data/result").asString()).contains("sandbox time for today (4 s)");
  }
}
