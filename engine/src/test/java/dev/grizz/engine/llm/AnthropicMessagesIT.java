package dev.grizz.engine.llm;

import static dev.grizz.engine.llm.AnthropicEngine.JSON;
import static dev.grizz.engine.llm.AnthropicEngine.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The engine's {@code /v1/messages} over raw HTTP, its upstream a fake Anthropic: the exact event
 * sequence of a streamed answer, a whole message's blocks, a request as Claude Code sends it, the
 * {@code x-api-key} header, and refusals and failures in Anthropic's shape.
 */
class AnthropicMessagesIT {

  static AnthropicEngine grizz;

  @BeforeAll
  static void start() {
    grizz = new AnthropicEngine();
  }

  @AfterAll
  static void stop() {
    grizz.close();
  }

  @BeforeEach
  void forget() {
    grizz.forget();
  }

  @Test
  void aStreamIsAnthropicsEventSequenceForThinkingTextAndToolUse() {
    grizz.upstream.enqueue(
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
        grizz.post(
            "/v1/messages?beta=true",
            Map.of("x-api-key", grizz.key()),
            """
            {"model":"claude-haiku-4-5","max_tokens":3000,"stream":true,
             "thinking":{"type":"enabled","budget_tokens":2000},
             "tools":[{"name":"weather","input_schema":{"type":"object"}}],
             "messages":[{"role":"user","content":"weather in Rome?"}]}
            """);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    List<JsonNode> events = AnthropicEngine.events(response.body());
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
            "content_block_delta:signature_delta",
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
    assertThat(events.get(4).at("/delta/signature").stringValue()).isEqualTo("EqQBCgIYAhIM1gbcDa9");
    assertThat(events.get(9).path("content_block"))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"weather\",\"input\":{}}"));
    assertThat(events.stream().map(event -> event.path("index").asInt(-1)).toList())
        .containsExactly(-1, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, -1, -1);
    assertThat(events.get(13))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
                    + "\"usage\":{\"input_tokens\":40,\"cache_creation_input_tokens\":0,"
                    + "\"cache_read_input_tokens\":30,\"output_tokens\":12}}"));
    JsonNode sent = JSON.readTree(grizz.upstream.requests.peek());
    assertThat(sent.path("thinking"))
        .isEqualTo(JSON.readTree("{\"type\":\"enabled\",\"budget_tokens\":2000}"));
    assertThat(sent.path("max_tokens").intValue()).isEqualTo(3000);
  }

  /**
   * As Claude Code sends it: beta query and headers, cache_control on system and tool blocks, the
   * user in metadata, temperature 1 beside thinking, a thinking block in the history. The betas,
   * the cache breakpoints and the signed thinking go upstream where the client put them.
   */
  @Test
  void aRequestShapedAsClaudeCodeSendsIt() {
    grizz.upstream.enqueue(AnthropicEngine.reply(AnthropicWire.textBlock(0, "Done.")));

    HttpResponse<String> response =
        grizz.post(
            "/v1/messages?beta=true",
            Map.of(
                "x-api-key", grizz.key(),
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
    assertThat(AnthropicEngine.events(response.body()).getLast().path("type").stringValue())
        .isEqualTo("message_stop");
    JsonNode sent = JSON.readTree(grizz.upstream.requests.peek());
    assertThat(sent.path("system"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}},
                 {"type":"text","text":"Work in /repo.","cache_control":{"type":"ephemeral"}}]
                """));
    assertThat(sent.path("temperature").doubleValue()).isEqualTo(1.0);
    assertThat(sent.at("/metadata/user_id").stringValue()).isEqualTo("user_abc_account__session_1");
    assertThat(sent.at("/tools/0/cache_control"))
        .isEqualTo(JSON.readTree("{\"type\":\"ephemeral\"}"));
    assertThat(sent.at("/messages/0/content/0/cache_control"))
        .isEqualTo(JSON.readTree("{\"type\":\"ephemeral\"}"));
    assertThat(sent.at("/messages/1/content"))
        .isEqualTo(
            JSON.readTree(
                "[{\"type\":\"thinking\",\"thinking\":\"ls\",\"signature\":\"s\"},"
                    + "{\"type\":\"tool_use\",\"id\":\"toolu_5\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}]"));
    assertThat(grizz.upstream.headers.peek().getFirst("anthropic-beta"))
        .isEqualTo("claude-code-20250219,interleaved-thinking-2025-05-14");
  }

  @Test
  void aWholeMessageHoldsThinkingTextAndToolUseBlocks() {
    grizz.upstream.enqueue(
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
        grizz.post(
            "/v1/messages",
            Map.of("x-api-key", grizz.key()),
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
                [{"type":"thinking","thinking":"Hmm.","signature":"EqQBCgIYAhIM1gbcDa9"},
                 {"type":"text","text":"Looking."},
                 {"type":"tool_use","id":"toolu_8","name":"weather","input":{"city":"Rome"}}]
                """));
    assertThat(message.path("stop_reason").stringValue()).isEqualTo("tool_use");
    assertThat(message.path("stop_sequence").isNull()).isTrue();
  }

  @Test
  void countTokensAnswersTheInputTokensWithoutCallingTheModel() {
    int before = grizz.upstream.requests.size();
    HttpResponse<String> counted =
        grizz.post(
            "/v1/messages/count_tokens",
            Map.of("x-api-key", grizz.key()),
            """
            {"model":"claude-haiku-4-5","system":"Be brief.",
             "tools":[{"name":"weather","input_schema":{"type":"object"}}],
             "messages":[{"role":"user","content":"How many tokens is this question?"}]}
            """);
    assertThat(counted.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(counted.body()).path("input_tokens").intValue()).isBetween(10, 200);
    assertThat(grizz.upstream.requests.size()).isEqualTo(before);

    HttpResponse<String> bad =
        grizz.post(
            "/v1/messages/count_tokens", Map.of("x-api-key", grizz.key()), "{\"model\":\"m\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).path("error").path("type").stringValue())
        .isEqualTo("invalid_request_error");
  }

  @Test
  void aStopSequenceThatFiredIsNamedWholeAndStreamed() {
    String request =
        """
        {"model":"claude-haiku-4-5","max_tokens":100,"stop_sequences":["END"],%s
         "messages":[{"role":"user","content":"count"}]}
        """;
    grizz.upstream.enqueue(
        FakeUpstream.sse(
            AnthropicWire.message(5, 0, "stop_sequence", 3, AnthropicWire.textBlock(0, "1 2 3"))));
    JsonNode whole =
        JSON.readTree(
            grizz
                .post("/v1/messages", Map.of("x-api-key", grizz.key()), request.formatted(""))
                .body());
    assertThat(whole.path("stop_reason").stringValue()).isEqualTo("stop_sequence");
    assertThat(whole.path("stop_sequence").stringValue()).isEqualTo("END");
    assertThat(grizz.upstream.requests.stream().reduce((a, b) -> b).orElseThrow())
        .contains("\"stop_sequences\":[\"END\"]");

    grizz.upstream.enqueue(
        FakeUpstream.sse(
            AnthropicWire.message(5, 0, "stop_sequence", 3, AnthropicWire.textBlock(0, "1 2 3"))));
    List<JsonNode> events =
        AnthropicEngine.events(
            grizz
                .post(
                    "/v1/messages",
                    Map.of("x-api-key", grizz.key()),
                    request.formatted("\"stream\":true,"))
                .body());
    JsonNode delta =
        events.stream()
            .filter(e -> e.path("type").stringValue("").equals("message_delta"))
            .findFirst()
            .orElseThrow()
            .path("delta");
    assertThat(delta.path("stop_reason").stringValue()).isEqualTo("stop_sequence");
    assertThat(delta.path("stop_sequence").stringValue()).isEqualTo("END");
  }

  @Test
  void xApiKeyTakesApiKeysOnlyAndOnlyHere() {
    String token = grizz.engine.adminApi().token();
    String hello =
        "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpResponse<String> none = grizz.post("/v1/messages", Map.of(), hello);
    HttpResponse<String> session = grizz.post("/v1/messages", Map.of("x-api-key", token), hello);
    HttpResponse<String> both =
        grizz.post(
            "/v1/messages",
            Map.of("x-api-key", grizz.key(), "Authorization", "Bearer " + token),
            hello);
    HttpResponse<String> elsewhere =
        grizz.post(
            "/v1/chat/completions",
            Map.of("x-api-key", grizz.key()),
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
    assertThat(grizz.upstream.requests).isEmpty();
  }

  @Test
  void refusalsComeInAnthropicsShape() {
    Map<String, String> auth = Map.of("x-api-key", grizz.key());

    HttpResponse<String> hot =
        grizz.post(
            "/v1/messages",
            auth,
            "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"temperature\":1.5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    HttpResponse<String> unknownField =
        grizz.post(
            "/v1/messages",
            auth,
            "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"container\":\"c\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    HttpResponse<String> notJson = grizz.post("/v1/messages", auth, "{");

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
    assertThat(grizz.upstream.requests).isEmpty();
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
    grizz.upstream.enqueue(FakeUpstream.sse(frames));

    HttpResponse<String> response =
        grizz.post(
            "/v1/messages",
            Map.of("x-api-key", grizz.key()),
            "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> events = AnthropicEngine.events(response.body());
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
    grizz.upstream.enqueue(
        FakeUpstream.status(
            529,
            Map.of(),
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));

    HttpResponse<String> response =
        grizz.post(
            "/v1/messages",
            Map.of("x-api-key", grizz.key()),
            "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(response.body()).at("/error/type").stringValue())
        .isEqualTo("overloaded_error");
  }
}
