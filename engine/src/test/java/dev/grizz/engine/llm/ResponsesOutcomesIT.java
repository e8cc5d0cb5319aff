package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * How a Responses API answer ends, beyond a plain stop: reasoning relayed as a reasoning item, a
 * cut answer {@code incomplete}, a content filter {@code incomplete}, an upstream that fails before
 * anything streamed an HTTP error, and one that fails mid-stream {@code response.failed}; what is
 * refused before any upstream call, naming the Responses field; and a stored response being its
 * owner's alone.
 */
class ResponsesOutcomesIT {

  static FakeUpstream upstream;
  static PrivateRedis redis;
  static EngineInstance engine;
  static ApiClient api;

  @BeforeAll
  static void start() {
    upstream = new FakeUpstream();
    redis = new PrivateRedis();
    engine =
        EngineInstance.start(
            TestServers.newDatabase(),
            redis.url(),
            Map.of(
                "grizz.providers.openai-base-url", upstream.url("/v1"),
                "grizz.providers.openai-api-key", "sk-test",
                "grizz.providers.openai-models", "gpt-4o-mini",
                "grizz.providers.route", "openai/gpt-4o-mini"));
    api = engine.api();
  }

  @AfterAll
  static void stop() {
    engine.close();
    upstream.close();
    redis.close();
  }

  private static ResponsesWire.Streamed stream(String body) {
    return ResponsesWire.stream(engine.port(), api.token(), body);
  }

  private static List<JsonNode> events(String raw) {
    return ResponsesWire.events(raw);
  }

  private static String chunk(String delta, String finish) {
    return ResponsesWire.chunk(delta, finish);
  }

  @Test
  void relaysReasoningAsAReasoningItemBeforeTheMessage() {
    upstream.enqueue(
        FakeUpstream.sse(
            List.of(
                chunk("{\"role\":\"assistant\",\"reasoning_content\":\"Think\"}", null),
                chunk("{\"reasoning_content\":\"ing.\"}", null),
                chunk("{\"content\":\"Done\"}", null),
                chunk("{}", "stop"),
                FakeUpstream.openAiUsage(5, 7),
                "data: [DONE]\n\n")));
    ResponsesWire.Streamed reply =
        stream("{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Think\",\"stream\":true}");

    List<JsonNode> events = events(reply.raw());
    assertThat(events)
        .extracting(event -> event.get("type").asString())
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.reasoning_summary_part.added",
            "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done",
            "response.reasoning_summary_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    JsonNode output = events.getLast().get("response").get("output");
    assertThat(output.get(0).get("type").asString()).isEqualTo("reasoning");
    assertThat(output.get(0).get("summary").get(0).get("text").asString()).isEqualTo("Thinking.");
    assertThat(output.get(1).get("content").get(0).get("text").asString()).isEqualTo("Done");
    assertThat(events.get(9).get("output_index").asInt()).isEqualTo(1);
  }

  @Test
  void aCutAnswerIsIncomplete() {
    upstream.enqueue(
        FakeUpstream.sse(
            List.of(
                chunk("{\"role\":\"assistant\",\"content\":\"Once upon\"}", null),
                chunk("{}", "length"),
                FakeUpstream.openAiUsage(5, 2),
                "data: [DONE]\n\n")));
    ApiClient.Reply cut =
        api.post(
            "/v1/responses",
            "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"A story\",\"max_output_tokens\":2}");
    ResponsesWire.validateResponse(cut.raw());
    JsonNode response = cut.body();
    assertThat(response.get("status").asString()).isEqualTo("incomplete");
    assertThat(response.get("incomplete_details").get("reason").asString())
        .isEqualTo("max_output_tokens");
    assertThat(response.get("max_output_tokens").asInt()).isEqualTo(2);

    upstream.enqueue(
        FakeUpstream.sse(
            List.of(
                chunk("{\"role\":\"assistant\",\"content\":\"Once upon\"}", null),
                chunk("{}", "content_filter"),
                "data: [DONE]\n\n")));
    ResponsesWire.Streamed filtered =
        stream("{\"model\":\"openai/gpt-4o-mini\",\"input\":\"A story\",\"stream\":true}");
    JsonNode last = events(filtered.raw()).getLast();
    assertThat(last.get("type").asString()).isEqualTo("response.incomplete");
    assertThat(last.get("response").get("incomplete_details").get("reason").asString())
        .isEqualTo("content_filter");
  }

  @Test
  void anUpstreamThatFailsBeforeAnythingIsAnHttpError() {
    upstream.enqueue(
        FakeUpstream.status(400, Map.of(), "{\"error\":{\"message\":\"bad\",\"type\":\"x\"}}"));
    ResponsesWire.Streamed reply =
        stream("{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Hi\",\"stream\":true}");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.contentType()).startsWith("application/json");
    assertThat(reply.raw()).contains("\"error\"");
  }

  @Test
  void anUpstreamThatFailsMidStreamEndsWithResponseFailed() {
    upstream.enqueue(
        FakeUpstream.sse(
            List.of(
                chunk("{\"role\":\"assistant\",\"content\":\"Half\"}", null),
                chunk("{\"content\":\" an answer\"}", null)),
            Duration.ZERO,
            Duration.ZERO,
            -1));
    ResponsesWire.Streamed reply =
        stream("{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Hi\",\"stream\":true}");
    List<JsonNode> events = events(reply.raw());
    JsonNode last = events.getLast();
    assertThat(last.get("type").asString()).isEqualTo("response.failed");
    assertThat(last.get("response").get("status").asString()).isEqualTo("failed");
    assertThat(last.get("response").get("error").get("message").asString()).isNotEmpty();
    assertThat(events.get(events.size() - 2).get("type").asString())
        .isEqualTo("response.output_item.done");
  }

  @Test
  void refusesWhatItCannotHonourNamingTheField() {
    int before = upstream.requests.size();
    assertRefused("{\"input\":\"hi\",\"temperature\":5}", 400, "temperature", "invalid_value");
    assertRefused(
        "{\"input\":\"hi\",\"max_output_tokens\":0}", 400, "max_output_tokens", "invalid_value");
    assertRefused(
        "{\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}",
        400,
        "tools",
        "unsupported_parameter");
    assertRefused(
        "{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"file_id\":\"f\"}]}]}",
        400,
        "input",
        "unsupported_parameter");
    assertRefused(
        "{\"input\":\"hi\",\"frobnicate\":1}", 400, "frobnicate", "unsupported_parameter");
    assertRefused(
        "{\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"x\"}}}",
        400,
        "text.format.schema",
        "invalid_value");
    assertRefused(
        "{\"input\":\"hi\",\"reasoning\":{\"effort\":\"extreme\"}}",
        400,
        "reasoning.effort",
        "invalid_value");
    assertRefused(
        "{\"input\":\"hi\",\"previous_response_id\":\"resp_0123\"}",
        404,
        "previous_response_id",
        "not_found");
    assertRefused("{\"model\":\"gpt-4o-mini\"}", 400, "input", "invalid_value");
    // The catalog says gpt-4o-mini does not reason: refused before the upstream, naming the field.
    assertRefused(
        "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"low\"}}",
        400,
        "reasoning.effort",
        "unsupported_parameter");
    assertThat(upstream.requests).hasSize(before);
  }

  private static void assertRefused(String body, int status, String param, String code) {
    ApiClient.Reply reply = api.post("/v1/responses", body);
    assertThat(reply.status()).as(body + " -> " + reply.raw()).isEqualTo(status);
    JsonNode error = reply.body().get("error");
    assertThat(error.get("param").asString()).as(reply.raw()).isEqualTo(param);
    assertThat(error.get("code").asString()).as(reply.raw()).isEqualTo(code);
    assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
  }

  @Test
  void aStoredResponseIsItsOwnersOnly() {
    upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Mine"), 5, 1)));
    String id =
        api.post("/v1/responses", "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"secret\"}")
            .body()
            .get("id")
            .asString();
    ApiClient other = new ApiClient(engine.port());
    assertThat(other.get("/v1/responses/" + id).status()).isEqualTo(404);
    assertThat(other.delete("/v1/responses/" + id).status()).isEqualTo(404);
    ApiClient.Reply continued =
        other.post("/v1/responses", "{\"input\":\"more\",\"previous_response_id\":\"" + id + "\"}");
    assertThat(continued.status()).isEqualTo(404);
    assertThat(continued.body().get("error").get("code").asString()).isEqualTo("not_found");

    assertThat(api.get("/v1/responses/" + id).status()).isEqualTo(200);
    ApiClient.Reply deleted = api.delete("/v1/responses/" + id);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body().get("deleted").asBoolean()).isTrue();
    assertThat(api.get("/v1/responses/" + id).status()).isEqualTo(404);
    assertThat(api.delete("/v1/responses/" + id).status()).isEqualTo(404);
  }

  @Test
  void aClientThatHangsUpCancelsTheUpstreamAndTheResponseIsKeptCancelled() throws Exception {
    List<String> pieces = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      pieces.add("word ");
    }
    int hangUps = upstream.hangUps.get();
    upstream.enqueue(
        FakeUpstream.sse(
            FakeUpstream.openAiStream(pieces, 5, 200), Duration.ZERO, Duration.ofMillis(50), -1));
    java.net.http.HttpResponse<java.io.InputStream> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + engine.port() + "/v1/responses"))
                    .header("Authorization", "Bearer " + api.token())
                    .header("Content-Type", "application/json")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Go on\",\"stream\":true}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    String id;
    try (java.io.BufferedReader events =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line = events.readLine();
      while (!line.startsWith("data: ")) {
        line = events.readLine();
      }
      id = ResponsesWire.JSON.readTree(line.substring(6)).get("response").get("id").asString();
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> upstream.hangUps.get() > hangUps);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> api.get("/v1/responses/" + id).status() == 200);
    JsonNode kept = api.get("/v1/responses/" + id).body();
    assertThat(kept.get("status").asString()).isEqualTo("cancelled");
    assertThat(kept.get("output").get(0).get("content").get(0).get("text").asString())
        .startsWith("word ")
        .hasSizeLessThan(200 * "word ".length());
  }
}
