package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The engine configured with an OpenAI-compatible base URL (a fake speaking OpenAI's wire format)
 * ahead of the demo provider: answers stream from it, each attempt is billed exactly, and a failing
 * upstream falls back invisibly except in the step's metadata and usage rows.
 */
class ProviderRoutingIT {

  static FakeUpstream upstream;
  static PrivateRedis redis;
  static EngineInstance engine;
  static ApiClient api;
  static JdbcClient jdbc;

  @BeforeAll
  static void start() {
    upstream = new FakeUpstream();
    TestServers.Database db = TestServers.newDatabase();
    // A Redis of its own: the shared test engine's workers would take this engine's jobs.
    redis = new PrivateRedis();
    engine =
        EngineInstance.start(
            db,
            redis.url(),
            Map.of(
                "grizz.providers.openai-base-url", upstream.url("/v1"),
                "grizz.providers.openai-api-key", "sk-test",
                "grizz.providers.openai-models", "gpt-4o-mini",
                "grizz.providers.route", "openai/gpt-4o-mini,demo/demo",
                "grizz.events.workers", "4"));
    api = engine.api();
    jdbc = engine.bean(JdbcClient.class);
  }

  @AfterAll
  static void stop() {
    engine.close();
    upstream.close();
    redis.close();
  }

  private JsonNode answer(String content) {
    String id =
        api.post("/api/v1/conversations", "{\"message\":\"" + content + "\"}")
            .body()
            .get("id")
            .asString();
    return api.awaitAnswered(id);
  }

  private List<Map<String, Object>> usageRows(String stepId) {
    return jdbc.sql(
            "select provider, model, outcome, error_code, prompt_tokens, completion_tokens, usage_cents,"
                + " estimated from llm_usage where step_id = :id order by created_at, id")
        .param("id", UUID.fromString(stepId))
        .query()
        .listOfRows();
  }

  @Test
  void streamsFromTheConfiguredProviderAndBillsExactly() {
    upstream.enqueue(
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Hi", " from", " OpenAI"), 21, 3)));

    JsonNode conversation = answer("hello");

    JsonNode step = conversation.get("steps").get(1);
    assertThat(conversation.get("messages").get(1).get("content").asString())
        .isEqualTo("Hi from OpenAI");
    assertThat(step.get("provider").asString()).isEqualTo("openai");
    assertThat(step.get("model").asString()).isEqualTo("gpt-4o-mini");
    // $0.15 and $0.60 per million: 21 x 15 + 3 x 60 = 495 micro-cents.
    assertThat(step.get("usage_cents").decimalValue()).isEqualByComparingTo("0.000495");
    List<Map<String, Object>> rows = usageRows(step.get("id").asString());
    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst())
        .containsEntry("provider", "openai")
        .containsEntry("outcome", "completed")
        .containsEntry("estimated", false)
        .containsEntry("prompt_tokens", 21)
        .containsEntry("completion_tokens", 3);
    assertThat((BigDecimal) rows.getFirst().get("usage_cents")).isEqualByComparingTo("0.000495");
  }

  @Test
  void aThinkingModelsReasoningStreamsIsStoredWithTheAnswerAndCachedInputIsBilledAsSuch() {
    upstream.enqueue(
        FakeUpstream.sse(
            List.of(
                OpenAiWire.reasoningContent("Let me think."),
                OpenAiWire.reasoningContent(" Bears hibernate."),
                FakeUpstream.openAiChunk("They sleep.", null),
                FakeUpstream.openAiChunk(null, "stop"),
                OpenAiWire.usageWithDetails(100, 20, 60, 12),
                "data: [DONE]\n\n")));

    JsonNode conversation = answer("what do bears do in winter");

    JsonNode message = conversation.get("messages").get(1);
    assertThat(message.get("content").asString()).isEqualTo("They sleep.");
    assertThat(message.get("reasoning").asString()).isEqualTo("Let me think. Bears hibernate.");
    JsonNode events =
        api.get("/api/v1/conversations/" + conversation.get("id").asString() + "/events").body();
    StringBuilder reasoning = new StringBuilder();
    for (JsonNode event : events) {
      if (event.get("type").asString().equals("reasoning.delta")) {
        reasoning.append(event.get("data").get("text").asString());
      }
    }
    assertThat(reasoning.toString()).isEqualTo("Let me think. Bears hibernate.");
    // 40 uncached x 15 + 60 cached x 7.5 + 20 out x 60 micro-cents.
    assertThat(conversation.get("steps").get(1).get("usage_cents").decimalValue())
        .isEqualByComparingTo("0.00225");
  }

  @Test
  void fallsBackToTheNextProviderAndRecordsBothAttempts() {
    upstream.enqueue(
        FakeUpstream.status(503, Map.of(), "{\"error\":{\"message\":\"overloaded\"}}"));

    JsonNode conversation = answer("fall back please");

    JsonNode step = conversation.get("steps").get(1);
    assertThat(step.get("status").asString()).isEqualTo("completed");
    assertThat(step.get("provider").asString()).isEqualTo("demo");
    assertThat(step.at("/metadata/fallbacks/0/provider").asString()).isEqualTo("openai");
    assertThat(step.at("/metadata/fallbacks/0/error").asString()).isEqualTo("upstream_unavailable");
    assertThat(usageRows(step.get("id").asString()))
        .extracting(
            row -> row.get("provider") + ":" + row.get("outcome") + ":" + row.get("error_code"))
        .containsExactly("openai:failed:upstream_unavailable", "demo:completed:null");
  }

  @Test
  void listsTheModelsACallerMayPickAndTheProvidersHealth() {
    JsonNode models = api.get("/api/v1/models").body();
    assertThat(models.get("route").toString()).contains("openai/gpt-4o-mini", "demo/demo");
    JsonNode first = models.get("models").get(0);
    assertThat(first.get("id").asString()).isEqualTo("openai/gpt-4o-mini");
    assertThat(first.get("input_cents_per_million").decimalValue()).isEqualByComparingTo("15");
    assertThat(first.get("context_tokens").asInt()).isEqualTo(128000);

    JsonNode providers = engine.adminApi().get("/api/v1/admin/providers").body().get("providers");
    assertThat(providers.get(0).get("name").asString()).isEqualTo("openai");
    assertThat(providers.get(0).get("breaker").asString()).isIn("closed", "open", "half_open");
    assertThat(providers.toString()).doesNotContain("sk-test");
  }
}
