package dev.grizz.engine.chat;

import static dev.grizz.engine.StreamClients.assertCompleteReply;
import static dev.grizz.engine.StreamClients.finished;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivatePostgres;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.StepLogs;
import dev.grizz.engine.StreamClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL stops mid-answer for longer than the lease (its own server, restarted on the same port
 * with its data), under two pods: whichever attempt's answer is stored, the client's text and the
 * log hold exactly that answer, seq 1, 2, 3… with no gap or duplicate.
 */
// A bound for CI: a fault test that hangs (a stream that never ends) fails instead.
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PostgresOutageIT {

  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final String PROMPT = "an answer that outlives its database for a little while";

  @Test
  void anAnswerSurvivesAPostgresOutageLongerThanTheLease() throws InterruptedException {
    try (PrivatePostgres pg = new PrivatePostgres();
        PrivateRedis redis = new PrivateRedis()) {
      Map<String, String> settings =
          Map.of(
              "grizz.events.lease", LEASE.toSeconds() + "s", "grizz.demo.tokens-per-second", "4");
      try (EngineInstance a = EngineInstance.start(pg.database(), redis.url(), settings);
          EngineInstance b = EngineInstance.start(pg.database(), redis.url(), settings)) {
        ApiClient onA = a.api();
        ApiClient onB = onA.onPort(b.port());
        String conversation = onA.post("/api/v1/conversations", "{}").body().get("id").asString();
        String step =
            onA.post(
                    "/api/v1/conversations/" + conversation + "/messages",
                    "{\"content\":\"" + PROMPT + "\"}")
                .body()
                .get("step_id")
                .asString();

        List<JsonNode> seen = new ArrayList<>();
        try (StreamClients.Sse sse =
            StreamClients.sse(onB, "/api/v1/conversations/" + conversation + "/events", Map.of())) {
          while (seen.stream().filter(e -> e.get("type").asString().equals("message.delta")).count()
              < 3) {
            seen.add(sse.next());
          }
          pg.stop();
          Thread.sleep(LEASE.multipliedBy(3));
          pg.start();
          seen.addAll(sse.until(finished(step)));
        }

        JsonNode stored = onB.awaitAnswered(conversation);
        assertThat(stored.get("messages")).hasSize(2);
        String answer = stored.at("/messages/1/content").asString();
        assertThat(answer).isEqualTo(DemoReplies.full(PROMPT));
        assertThat(stored.at("/steps/1/status").asString()).isEqualTo("completed");
        assertCompleteReply(seen, step, answer);
        StepLogs.assertOneAnswer(StepLogs.read(b, conversation, step), answer);
      }
    }
  }
}
