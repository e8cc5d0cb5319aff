package dev.grizz.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.Summaries;
import dev.grizz.engine.llm.FakeUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rolling summaries against an OpenAI-shaped upstream whose summariser is deterministic (it keeps
 * every line with "FACT" in it): a long conversation keeps what the user said early, through the
 * summary, and no request ever exceeds the context budget.
 */
class SummariesIT {

  static final JsonMapper JSON = JsonMapper.shared();
  static final int BUDGET = 600;
  static final String FACT = "FACT: my cat is called Miso and she is eleven.";

  static FakeUpstream upstream;
  static PrivateRedis redis;
  static EngineInstance engine;
  static ApiClient api;
  static JdbcClient jdbc;

  @BeforeAll
  static void start() {
    upstream = new FakeUpstream();
    upstream.respondWith(SummariesIT::answer);
    redis = new PrivateRedis();
    engine =
        EngineInstance.start(
            TestServers.newDatabase(),
            redis.url(),
            Map.of(
                "grizz.providers.openai-base-url", upstream.url("/v1"),
                "grizz.providers.openai-api-key", "sk-test",
                "grizz.providers.openai-models", "gpt-4o-mini",
                "grizz.providers.route", "openai/gpt-4o-mini",
                "grizz.chat.context-tokens", String.valueOf(BUDGET),
                "grizz.memory.summary-max-tokens", "200",
                "grizz.events.lease", "3s"));
    api = engine.api();
    jdbc = engine.bean(JdbcClient.class);
  }

  @AfterAll
  static void stop() {
    engine.close();
    upstream.close();
    redis.close();
  }

  /** The fake vendor: summaries keep the FACT lines they are sent; answers are a short "ok". */
  static FakeUpstream.Reply answer(String body) {
    JsonNode request = JSON.readTree(body);
    JsonNode messages = request.get("messages");
    String system = messages.get(0).get("content").asString();
    if (system.startsWith("You condense conversations.")) {
      Set<String> facts = new LinkedHashSet<>();
      for (String line : messages.get(1).get("content").asString().split("\n")) {
        int at = line.indexOf("FACT");
        if (at >= 0) {
          facts.add("- " + line.substring(at).strip());
        }
      }
      String summary = facts.isEmpty() ? "- Small talk." : String.join("\n", facts);
      return FakeUpstream.sse(FakeUpstream.openAiStream(List.of(summary), 300, 20));
    }
    return FakeUpstream.sse(FakeUpstream.openAiStream(List.of("ok"), 100, 1));
  }

  @Test
  void aThreeHundredTurnConversationKeepsTheFactOfTurnThreeWithinTheBudget() {
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    for (int turn = 1; turn <= 300; turn++) {
      String content =
          turn == 3
              ? FACT
              : "Message number " + turn + " is filler: a few words that take room in the context.";
      JsonNode posted =
          api.post(
                  "/api/v1/conversations/" + conversation + "/messages",
                  "{\"content\":" + api.quote(content) + "}")
              .body();
      awaitFinished(UUID.fromString(posted.get("step_id").asString()));
    }

    List<JsonNode> answers = new ArrayList<>();
    for (String body : upstream.requests) {
      JsonNode request = JSON.readTree(body);
      if (!request.get("messages").get(0).get("content").asString().startsWith("You condense")) {
        answers.add(request);
      }
    }
    assertThat(answers).hasSize(300);
    JsonNode last = answers.getLast();
    String system = last.get("messages").get(0).get("content").asString();
    assertThat(system).contains("this is a summary of them").contains("my cat is called Miso");
    for (JsonNode message : last.get("messages")) {
      if (message.get("role").asString().equals("user")) {
        assertThat(message.get("content").asString()).doesNotContain("Miso");
      }
    }

    JsonNode detail = api.get("/api/v1/conversations/" + conversation).body();
    int summaries = 0;
    for (JsonNode step : detail.get("steps")) {
      if (step.get("type").asString().equals("llm")) {
        assertThat(step.get("metadata").get("context_tokens").asInt()).isLessThanOrEqualTo(BUDGET);
      }
      if (step.get("type").asString().equals("summary")
          && step.get("status").asString().equals("completed")) {
        summaries++;
        assertThat(step.get("prompt_tokens").asInt()).isEqualTo(300);
        assertThat(step.get("usage_cents").decimalValue()).isPositive();
      }
    }
    assertThat(summaries).isGreaterThan(10);
    // A summary is queued after its turn's answer is stored, so one may still be under way here;
    // both counts come from one statement (one snapshot), where a summary's usage row and its
    // completion, written in one transaction, are seen together or not at all.
    Map<String, Object> counts =
        jdbc.sql(
                """
                select (select count(*) from steps
                        where task_id = :task and type = 'summary' and status = 'completed')
                         as completed,
                       (select count(*) from llm_usage u join steps s on s.id = u.step_id
                        where s.task_id = :task and s.type = 'summary') as usage_rows
                """)
            .param("task", UUID.fromString(conversation))
            .query()
            .singleRow();
    assertThat(counts.get("usage_rows")).isEqualTo(counts.get("completed"));
    assertThat((Long) counts.get("completed")).isGreaterThanOrEqualTo(summaries);
  }

  @Test
  void aSummaryWhosePodDiedIsTakenOverAndCompleted() {
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    UUID task = UUID.fromString(conversation);
    JsonNode posted =
        api.post(
                "/api/v1/conversations/" + conversation + "/messages",
                "{\"content\":" + api.quote(FACT) + "}")
            .body();
    UUID answer = UUID.fromString(posted.get("step_id").asString());
    awaitFinished(answer);
    Summaries summaries = engine.bean(Summaries.class);
    UUID summary =
        summaries.open(task, answer, null, Map.of("model", "auto:cheapest")).orElseThrow();
    // A pod takes it and dies without a word: no job is queued, no heartbeat comes.
    ConversationStore store = engine.bean(ConversationStore.class);
    assertThat(store.claim(summary, "pod-gone", Duration.ofSeconds(3))).isPresent();

    java.sql.Timestamp activeBefore = updatedAt(task);
    awaitFinished(summary);

    assertThat(status(summary)).isEqualTo("completed");
    // The engine's own work does not make the conversation recently active.
    assertThat(updatedAt(task)).isEqualTo(activeBefore);
    assertThat(
            jdbc.sql("select (metadata ->> 'attempt')::int from steps where id = :id")
                .param("id", summary)
                .query(Integer.class)
                .single())
        .isEqualTo(2);
    assertThat(summaries.latest(answer).orElseThrow().text()).contains("my cat is called Miso");
  }

  static java.sql.Timestamp updatedAt(UUID task) {
    return jdbc.sql("select updated_at from tasks where id = :id")
        .param("id", task)
        .query(java.sql.Timestamp.class)
        .single();
  }

  static String status(UUID step) {
    return jdbc.sql("select status from steps where id = :id")
        .param("id", step)
        .query(String.class)
        .single();
  }

  static void awaitFinished(UUID step) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      String status = status(step);
      if (!status.equals("queued") && !status.equals("running")) {
        return;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("step " + step + " did not finish in time");
  }
}
