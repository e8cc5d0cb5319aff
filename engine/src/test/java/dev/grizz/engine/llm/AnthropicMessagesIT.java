package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.NodeClients;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official Anthropic SDK (Node, unmodified) against the engine's {@code /v1/messages}, the
 * engine's upstream a fake Anthropic: what the client gets, and what the upstream receives, for
 * text, streaming, a two-turn tool exchange (plain and streamed), an image, and errors.
 */
class AnthropicMessagesIT {

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final String MODEL = "claude-haiku-4-5";

  static FakeUpstream upstream;
  static PrivateRedis redis;
  static EngineInstance engine;

  @BeforeAll
  static void start() {
    upstream = new FakeUpstream();
    redis = new PrivateRedis();
    engine =
        EngineInstance.start(
            TestServers.newDatabase(),
            redis.url(),
            Map.of(
                "grizz.providers.anthropic-base-url",
                upstream.url(""),
                "grizz.providers.anthropic-api-key",
                "sk-ant-upstream",
                "grizz.providers.route",
                "anthropic/" + MODEL));
  }

  @AfterAll
  static void stop() {
    engine.close();
    upstream.close();
    redis.close();
  }

  @BeforeEach
  void forget() {
    upstream.requests.clear();
    upstream.headers.clear();
  }

  private static String key() {
    return key("anthropic");
  }

  private static String key(String name) {
    return engine
        .adminApi()
        .post("/api/v1/api-keys", "{\"name\":\"" + name + "\"}")
        .body()
        .get("key")
        .asString();
  }

  private static HttpResponse<String> post(String path, Map<String, String> headers, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.port() + path))
            .header("Content-Type", "application/json")
            .header("anthropic-version", "2023-06-01")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The events' types and payloads, in order. */
  private static List<JsonNode> events(String stream) {
    List<JsonNode> events = new ArrayList<>();
    for (String frame : stream.split("\n\n")) {
      String[] lines = frame.split("\n");
      JsonNode data = JSON.readTree(lines[1].substring("data: ".length()));
      assertThat(lines[0]).isEqualTo("event: " + data.path("type").stringValue());
      events.add(data);
    }
    return events;
  }

  @Test
  void aStreamIsAnthropicsEventSequenceForThinkingTextAndToolUse() {
    upstream.enqueue(
        FakeUpstream.sse(
            AnthropicWire.message(
                40,
                30,
                "tool_use",
                12,
                AnthropicWire.thinkingBlock(0, "Think", "ing."),
                AnthropicWire.textBlock(1, "I will look."),
                AnthropicWire.toolUseBlock(2, "toolu_9", "weather", "{\"city\":", "\"Rome\"}"))));

    HttpResponse<String> response =
        post(
            "/v1/messages?beta=true",
            Map.of("x-api-key", key()),
            """
            {"model":"claude-haiku-4-5","max_tokens":3000,"stream":true,
             "thinking":{"type":"enabled","budget_tokens":2000},
             "tools":[{"name":"weather","input_schema":{"type":"object"}}],
             "messages":[{"role":"user","content":"weather in Rome?"}]}
            """);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    List<JsonNode> events = events(response.body());
    assertThat(events)
        .extracting(
            event ->
                event.path("type").stringValue()
                    + (event.has("content_block")
                        ? ":" + event.at("/content_block/type").stringValue()
                        : "")
                    + (event.has("delta") && event.has("index")
                        ? ":" + event.at("/delta/type").stringValue()
                        : ""))
        .containsExactly(
            "message_start",
            "content_block_start:thinking",
            "content_block_delta:thinking_delta",
            "content_block_delta:thinking_delta",
            "content_block_stop",
            "content_block_start:text",
            "content_block_delta:text_delta",
            "content_block_stop",
            "content_block_start:tool_use",
            "content_block_delta:input_json_delta",
            "content_block_delta:input_json_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    assertThat(events.get(0).at("/message/id").stringValue()).startsWith("msg_");
    assertThat(events.get(0).at("/message/model").stringValue()).isEqualTo("anthropic/" + MODEL);
    assertThat(events.get(8).path("content_block"))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"weather\",\"input\":{}}"));
    assertThat(events.stream().map(event -> event.path("index").asInt(-1)).toList())
        .containsExactly(-1, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, -1, -1);
    assertThat(events.get(12))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
                    + "\"usage\":{\"input_tokens\":40,\"cache_read_input_tokens\":30,\"output_tokens\":12}}"));
    JsonNode sent = JSON.readTree(upstream.requests.peek());
    assertThat(sent.path("thinking"))
        .isEqualTo(JSON.readTree("{\"type\":\"enabled\",\"budget_tokens\":2000}"));
    assertThat(sent.path("max_tokens").intValue()).isEqualTo(3000);
  }

  /**
   * As Claude Code sends it: beta query and headers, cache_control on system and tool blocks, the
   * user in metadata, temperature 1 beside thinking, a thinking block in the history.
   */
  @Test
  void aRequestShapedAsClaudeCodeSendsIt() {
    upstream.enqueue(reply(AnthropicWire.textBlock(0, "Done.")));

    HttpResponse<String> response =
        post(
            "/v1/messages?beta=true",
            Map.of(
                "x-api-key", key(),
                "anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14",
                "x-app", "cli"),
            """
            {"model":"claude-haiku-4-5","max_tokens":32000,"stream":true,"temperature":1,
             "metadata":{"user_id":"user_abc_account__session_1"},
             "thinking":{"type":"enabled","budget_tokens":4000},
             "system":[{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}},
                       {"type":"text","text":"Work in /repo.","cache_control":{"type":"ephemeral"}}],
             "tools":[{"name":"Bash","description":"Runs a command",
                       "input_schema":{"type":"object","properties":{"command":{"type":"string"}}},
                       "cache_control":{"type":"ephemeral"}}],
             "messages":[
               {"role":"user","content":[{"type":"text","text":"list files","cache_control":{"type":"ephemeral"}}]},
               {"role":"assistant","content":[{"type":"thinking","thinking":"ls","signature":"s"},
                 {"type":"tool_use","id":"toolu_5","name":"Bash","input":{"command":"ls"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_5","content":"a.txt"}]}]}
            """);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(events(response.body()).getLast().path("type").stringValue())
        .isEqualTo("message_stop");
    JsonNode sent = JSON.readTree(upstream.requests.peek());
    assertThat(sent.path("system").stringValue())
        .isEqualTo("You are Claude Code.\n\nWork in /repo.");
    assertThat(sent.path("temperature").doubleValue()).isEqualTo(1.0);
    assertThat(sent.at("/metadata/user_id").stringValue()).isEqualTo("user_abc_account__session_1");
    assertThat(sent.at("/tools/0").has("cache_control")).isFalse();
    assertThat(sent.at("/messages/1/content"))
        .isEqualTo(
            JSON.readTree(
                "[{\"type\":\"tool_use\",\"id\":\"toolu_5\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}]"));
  }

  @Test
  void aWholeMessageHoldsThinkingTextAndToolUseBlocks() {
    upstream.enqueue(
        FakeUpstream.sse(
            AnthropicWire.message(
                40,
                0,
                "tool_use",
                12,
                AnthropicWire.thinkingBlock(0, "Hmm."),
                AnthropicWire.textBlock(1, "Looking."),
                AnthropicWire.toolUseBlock(2, "toolu_8", "weather", "{\"city\":\"Rome\"}"))));

    HttpResponse<String> response =
        post(
            "/v1/messages",
            Map.of("x-api-key", key()),
            """
            {"model":"claude-haiku-4-5","max_tokens":3000,
             "thinking":{"type":"enabled","budget_tokens":2000},
             "tools":[{"name":"weather","input_schema":{"type":"object"}}],
             "messages":[{"role":"user","content":"weather in Rome?"}]}
            """);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode message = JSON.readTree(response.body());
    assertThat(message.path("content"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"type":"thinking","thinking":"Hmm.","signature":""},
                 {"type":"text","text":"Looking."},
                 {"type":"tool_use","id":"toolu_8","name":"weather","input":{"city":"Rome"}}]
                """));
    assertThat(message.path("stop_reason").stringValue()).isEqualTo("tool_use");
    assertThat(message.path("stop_sequence").isNull()).isTrue();
  }

  @Test
  void xApiKeyTakesApiKeysOnlyAndOnlyHere() {
    String token = engine.adminApi().token();
    String hello =
        "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpResponse<String> none = post("/v1/messages", Map.of(), hello);
    HttpResponse<String> session = post("/v1/messages", Map.of("x-api-key", token), hello);
    HttpResponse<String> both =
        post("/v1/messages", Map.of("x-api-key", key(), "Authorization", "Bearer " + token), hello);
    HttpResponse<String> elsewhere =
        post(
            "/v1/chat/completions",
            Map.of("x-api-key", key()),
            "{\"model\":\"claude-haiku-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    for (HttpResponse<String> refused : List.of(none, session, both)) {
      assertThat(refused.statusCode()).isEqualTo(401);
      JsonNode body = JSON.readTree(refused.body());
      assertThat(body.path("type").stringValue()).isEqualTo("error");
      assertThat(body.at("/error/type").stringValue()).isEqualTo("authentication_error");
      assertThat(body.path("request_id").stringValue()).isNotEmpty();
    }
    assertThat(elsewhere.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(elsewhere.body()).at("/error/type").stringValue())
        .isEqualTo("authentication_error");
    assertThat(JSON.readTree(elsewhere.body()).has("request_id")).isFalse();
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void refusalsComeInAnthropicsShape() {
    Map<String, String> auth = Map.of("x-api-key", key());

    HttpResponse<String> hot =
        post(
            "/v1/messages",
            auth,
            "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"temperature\":1.5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    HttpResponse<String> unknownField =
        post(
            "/v1/messages",
            auth,
            "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"container\":\"c\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    HttpResponse<String> notJson = post("/v1/messages", auth, "{");

    for (HttpResponse<String> refused : List.of(hot, unknownField, notJson)) {
      assertThat(refused.statusCode()).isEqualTo(400);
      JsonNode body = JSON.readTree(refused.body());
      assertThat(body.path("type").stringValue()).isEqualTo("error");
      assertThat(body.at("/error/type").stringValue()).isEqualTo("invalid_request_error");
    }
    assertThat(JSON.readTree(hot.body()).at("/error/message").stringValue())
        .contains("temperature");
    assertThat(JSON.readTree(unknownField.body()).at("/error/message").stringValue())
        .contains("container");
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void aFailureAfterTheFirstPieceEndsTheStreamWithAnErrorEvent() {
    List<String> frames = new ArrayList<>();
    frames.add(AnthropicWire.messageStart(5, 0));
    frames.addAll(AnthropicWire.textBlock(0, "Half an"));
    frames.add(
        AnthropicWire.event(
            "error",
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    upstream.enqueue(FakeUpstream.sse(frames));

    HttpResponse<String> response =
        post(
            "/v1/messages",
            Map.of("x-api-key", key()),
            "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> events = events(response.body());
    assertThat(events)
        .extracting(event -> event.path("type").stringValue())
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "error");
    assertThat(events.getLast().at("/error/type").stringValue()).isEqualTo("overloaded_error");
  }

  @Test
  void anUpstreamFailureBeforeAnyPieceIsAnOverloadedError() {
    upstream.enqueue(
        FakeUpstream.status(
            529,
            Map.of(),
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));

    HttpResponse<String> response =
        post(
            "/v1/messages",
            Map.of("x-api-key", key()),
            "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(response.body()).at("/error/type").stringValue())
        .isEqualTo("overloaded_error");
  }

  @Test
  void theAnthropicSdkTalksToGrizzAsToAnthropic() {
    upstream.enqueue(
        reply(AnthropicWire.textBlock(0, "Hello", "!")),
        reply(AnthropicWire.textBlock(0, "Streamed", " answer")),
        FakeUpstream.sse(
            AnthropicWire.message(
                25,
                0,
                "tool_use",
                9,
                AnthropicWire.textBlock(0, "Checking."),
                AnthropicWire.toolUseBlock(1, "toolu_01", "weather", "{\"ci", "ty\":\"Paris\"}"))),
        reply(AnthropicWire.textBlock(0, "Sunny in Paris.")),
        FakeUpstream.sse(
            AnthropicWire.message(
                25,
                0,
                "tool_use",
                9,
                AnthropicWire.toolUseBlock(0, "toolu_02", "weather", "{\"city\"", ":\"Oslo\"}"))),
        reply(AnthropicWire.textBlock(0, "Snow in Oslo.")),
        reply(AnthropicWire.textBlock(0, "A tiny PNG.")));
    String key = key("anthropic-sdk");
    org.springframework.jdbc.core.simple.JdbcClient jdbc =
        engine.bean(org.springframework.jdbc.core.simple.JdbcClient.class);

    Map<String, JsonNode> steps =
        steps(
            NodeClients.run(
                "anthropic-messages.mjs",
                Map.of(
                    "GRIZZ_URL", "http://127.0.0.1:" + engine.port(),
                    "GRIZZ_KEY", key,
                    "GRIZZ_MODEL", MODEL)));
    List<JsonNode> received = new ArrayList<>();
    upstream.requests.forEach(body -> received.add(JSON.readTree(body)));

    JsonNode text = steps.get("text");
    assertThat(text.path("id").stringValue()).startsWith("msg_");
    assertThat(text.path("type").stringValue()).isEqualTo("message");
    assertThat(text.path("role").stringValue()).isEqualTo("assistant");
    assertThat(text.path("model").stringValue()).isEqualTo("anthropic/" + MODEL);
    assertThat(text.path("content"))
        .isEqualTo(JSON.readTree("[{\"type\":\"text\",\"text\":\"Hello!\"}]"));
    assertThat(text.path("stop_reason").stringValue()).isEqualTo("end_turn");
    assertThat(text.path("usage").path("input_tokens").intValue()).isEqualTo(25);
    assertThat(text.path("usage").path("output_tokens").intValue()).isEqualTo(9);
    assertThat(received.get(0))
        .isEqualTo(
            JSON.readTree(
                "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":100,\"stream\":true,"
                    + "\"system\":\"be brief\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"));

    JsonNode stream = steps.get("stream");
    assertThat(stream.path("pieces")).isEqualTo(JSON.readTree("[\"Streamed\",\" answer\"]"));
    assertThat(stream.at("/message/content"))
        .isEqualTo(JSON.readTree("[{\"type\":\"text\",\"text\":\"Streamed answer\"}]"));
    assertThat(stream.at("/message/stop_reason").stringValue()).isEqualTo("end_turn");
    assertThat(stream.at("/message/usage/input_tokens").intValue()).isEqualTo(25);
    assertThat(stream.at("/message/usage/output_tokens").intValue()).isEqualTo(9);

    JsonNode weather =
        JSON.readTree(
            "[{\"name\":\"weather\",\"description\":\"The weather in a city\",\"input_schema\":"
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                + "\"required\":[\"city\"]}}]");
    JsonNode turn1 = steps.get("tool-turn-1");
    assertThat(turn1.path("content"))
        .isEqualTo(
            JSON.readTree(
                "[{\"type\":\"text\",\"text\":\"Checking.\"},{\"type\":\"tool_use\","
                    + "\"id\":\"toolu_01\",\"name\":\"weather\",\"input\":{\"city\":\"Paris\"}}]"));
    assertThat(turn1.path("stop_reason").stringValue()).isEqualTo("tool_use");
    assertThat(received.get(2).path("tools")).isEqualTo(weather);
    assertThat(received.get(3).path("messages"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"role":"user","content":"weather in Paris?"},
                 {"role":"assistant","content":[{"type":"text","text":"Checking."},
                   {"type":"tool_use","id":"toolu_01","name":"weather","input":{"city":"Paris"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"sunny, 21 C"}]}]
                """));
    assertThat(steps.get("tool-turn-2").path("content").path(0).path("text").stringValue())
        .isEqualTo("Sunny in Paris.");

    JsonNode streamed1 = steps.get("stream-tool-turn-1");
    assertThat(streamed1.path("content"))
        .isEqualTo(
            JSON.readTree(
                "[{\"type\":\"tool_use\",\"id\":\"toolu_02\",\"name\":\"weather\","
                    + "\"input\":{\"city\":\"Oslo\"}}]"));
    assertThat(streamed1.path("stop_reason").stringValue()).isEqualTo("tool_use");
    assertThat(received.get(5).path("messages").path(2))
        .isEqualTo(
            JSON.readTree(
                "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                    + "\"tool_use_id\":\"toolu_02\",\"content\":\"snow\"}]}"));
    assertThat(received.get(5).path("messages").path(1).path("content").path(0).path("input"))
        .isEqualTo(JSON.readTree("{\"city\":\"Oslo\"}"));
    assertThat(steps.get("stream-tool-turn-2").path("content").path(0).path("text").stringValue())
        .isEqualTo("Snow in Oslo.");

    assertThat(steps.get("image").path("content").path(0).path("text").stringValue())
        .isEqualTo("A tiny PNG.");
    assertThat(received.get(6).path("messages"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"role":"user","content":[
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                  {"type":"text","text":"what is this?"}]}]
                """));

    assertThat(steps.get("unknown-model").path("status").intValue()).isEqualTo(404);
    assertThat(steps.get("unknown-model").at("/error/type").stringValue()).isEqualTo("error");
    assertThat(steps.get("unknown-model").at("/error/error/type").stringValue())
        .isEqualTo("not_found_error");
    assertThat(steps.get("no-max-tokens").path("status").intValue()).isEqualTo(400);
    assertThat(steps.get("no-max-tokens").at("/error/error/type").stringValue())
        .isEqualTo("invalid_request_error");
    assertThat(steps.get("no-max-tokens").at("/error/error/message").stringValue())
        .contains("max_tokens");
    assertThat(steps.get("bad-key").path("name").stringValue()).isEqualTo("AuthenticationError");
    assertThat(steps.get("bad-key").at("/error/error/type").stringValue())
        .isEqualTo("authentication_error");

    assertThat(received).hasSize(7);
    // Billed as /v1/chat/completions bills: one usage row per upstream attempt, on the caller's
    // key.
    assertThat(
            jdbc.sql(
                    "select count(*) from llm_usage u join api_keys k on k.id = u.api_key_id"
                        + " where k.name = 'anthropic-sdk' and u.provider = 'anthropic'"
                        + " and u.prompt_tokens = 25 and u.completion_tokens = 9")
                .query(Long.class)
                .single())
        .isEqualTo(7);
    assertThat(upstream.headers)
        .allSatisfy(
            headers -> assertThat(headers.getFirst("x-api-key")).isEqualTo("sk-ant-upstream"));
  }

  private static FakeUpstream.Reply reply(List<String> block) {
    return FakeUpstream.sse(AnthropicWire.message(25, 0, "end_turn", 9, block));
  }

  private static Map<String, JsonNode> steps(String output) {
    Map<String, JsonNode> steps = new LinkedHashMap<>();
    for (String line : output.strip().split("\n")) {
      JsonNode step = JSON.readTree(line);
      steps.put(step.path("step").stringValue(), step.path("value"));
    }
    return steps;
  }
}
