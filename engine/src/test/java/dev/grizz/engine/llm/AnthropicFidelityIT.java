package dev.grizz.engine.llm;

import static dev.grizz.engine.llm.AnthropicEngine.JSON;
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
 * {@code /v1/messages} to a fake Anthropic upstream, at full fidelity: signed and redacted thinking
 * sent back unchanged in the turn that carries a tool result, every {@code cache_control} where the
 * client put it, and the upstream's signatures, redacted thinking and cache writes relayed.
 */
class AnthropicFidelityIT {

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

  static final String THINKING =
      "{\"type\":\"thinking\",\"thinking\":\"The user wants \\\"ls\\\" — run it.\","
          + "\"signature\":\"EqQBCgIYAhIM1gbcDa9+/=\"}";
  static final String REDACTED =
      "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix/=\"}";

  @Test
  void thinkingAndEveryCacheBreakpointGoBackAsTheClientSentThem() {
    grizz.upstream.enqueue(AnthropicEngine.reply(AnthropicWire.textBlock(0, "Two files.")));

    HttpResponse<String> response =
        grizz.post(
            "/v1/messages",
            Map.of("x-api-key", grizz.key()),
            """
            {"model":"claude-haiku-4-5","max_tokens":3000,
             "thinking":{"type":"enabled","budget_tokens":2000},
             "system":"Be brief.",
             "tools":[{"name":"Bash","input_schema":{"type":"object"},
                       "cache_control":{"type":"ephemeral","ttl":"1h"}}],
             "messages":[
               {"role":"user","content":[
                 {"type":"image","source":{"type":"url","url":"https://example.com/a.png"},
                  "cache_control":{"type":"ephemeral"}},
                 {"type":"text","text":"list files"}]},
               {"role":"assistant","content":[%s,%s,
                 {"type":"tool_use","id":"toolu_5","name":"Bash","input":{"command":"ls"},
                  "cache_control":{"type":"ephemeral"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_5",
                 "content":[{"type":"text","text":"a.txt"},
                            {"type":"text","text":"b.txt","cache_control":{"type":"ephemeral"}}],
                 "cache_control":{"type":"ephemeral","ttl":"5m"}}]}]}
            """
                .formatted(THINKING, REDACTED));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String raw = grizz.upstream.requests.peek();
    // Byte for byte: the signed block and the redacted one, as the client wrote them.
    assertThat(raw).contains(THINKING).contains(REDACTED);
    JsonNode sent = JSON.readTree(raw);
    assertThat(sent.path("system").stringValue()).isEqualTo("Be brief.");
    assertThat(sent.at("/tools/0/cache_control"))
        .isEqualTo(JSON.readTree("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}"));
    assertThat(sent.at("/messages/0/content/0/cache_control"))
        .isEqualTo(JSON.readTree("{\"type\":\"ephemeral\"}"));
    assertThat(sent.at("/messages/0/content/1").has("cache_control")).isFalse();
    JsonNode assistant = sent.at("/messages/1/content");
    assertThat(assistant.get(0)).isEqualTo(JSON.readTree(THINKING));
    assertThat(assistant.get(1)).isEqualTo(JSON.readTree(REDACTED));
    assertThat(assistant.at("/2/cache_control"))
        .isEqualTo(JSON.readTree("{\"type\":\"ephemeral\"}"));
    assertThat(sent.at("/messages/2/content/0"))
        .isEqualTo(
            JSON.readTree(
                """
                {"type":"tool_result","tool_use_id":"toolu_5",
                 "content":[{"type":"text","text":"a.txt"},
                            {"type":"text","text":"b.txt","cache_control":{"type":"ephemeral"}}],
                 "cache_control":{"type":"ephemeral","ttl":"5m"}}
                """));
  }

  /** A stream with a redacted block and a cache write: both reach the client, in both shapes. */
  private static FakeUpstream.Reply redactedThenText() {
    List<String> frames =
        new ArrayList<>(
            AnthropicWire.message(
                20,
                100,
                "end_turn",
                7,
                AnthropicWire.thinkingBlock(0, "Hmm."),
                AnthropicWire.redactedThinkingBlock(1, "EmwKAhgBEgy3va3pzix"),
                AnthropicWire.textBlock(2, "Done.")));
    frames.set(
        0,
        frames
            .getFirst()
            .replace("\"cache_creation_input_tokens\":0", "\"cache_creation_input_tokens\":500"));
    return FakeUpstream.sse(frames);
  }

  private static HttpResponse<String> askWithThinking(boolean stream) {
    return grizz.post(
        "/v1/messages",
        Map.of("x-api-key", grizz.key()),
        "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":3000,\"stream\":"
            + stream
            + ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @Test
  void aWholeAnswerHoldsTheSignatureTheRedactedBlockAndTheCacheWrite() {
    grizz.upstream.enqueue(redactedThenText());

    HttpResponse<String> response = askWithThinking(false);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode message = JSON.readTree(response.body());
    assertThat(message.path("content"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"type":"thinking","thinking":"Hmm.","signature":"EqQBCgIYAhIM1gbcDa9"},
                 {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"},
                 {"type":"text","text":"Done."}]
                """));
    assertThat(message.path("usage"))
        .isEqualTo(
            JSON.readTree(
                "{\"input_tokens\":20,\"cache_creation_input_tokens\":500,"
                    + "\"cache_read_input_tokens\":100,\"output_tokens\":7}"));
  }

  @Test
  void aStreamRelaysTheSignatureAndTheRedactedBlock() {
    grizz.upstream.enqueue(redactedThenText());

    HttpResponse<String> response = askWithThinking(true);

    List<JsonNode> events = AnthropicEngine.events(response.body());
    assertThat(events)
        .extracting(
            event ->
                event.path("type").stringValue()
                    + ":"
                    + event.path("index").asInt(-1)
                    + (event.has("content_block")
                        ? ":" + event.at("/content_block/type").stringValue()
                        : "")
                    + (event.has("delta") && event.has("index")
                        ? ":" + event.at("/delta/type").stringValue()
                        : ""))
        .containsExactly(
            "message_start:-1",
            "content_block_start:0:thinking",
            "content_block_delta:0:thinking_delta",
            "content_block_delta:0:signature_delta",
            "content_block_stop:0",
            "content_block_start:1:redacted_thinking",
            "content_block_stop:1",
            "content_block_start:2:text",
            "content_block_delta:2:text_delta",
            "content_block_stop:2",
            "message_delta:-1",
            "message_stop:-1");
    assertThat(events.get(3).at("/delta/signature").stringValue()).isEqualTo("EqQBCgIYAhIM1gbcDa9");
    assertThat(events.get(5).at("/content_block/data").stringValue())
        .isEqualTo("EmwKAhgBEgy3va3pzix");
    assertThat(events.get(10).at("/usage/cache_creation_input_tokens").asInt()).isEqualTo(500);
  }

  /** LiteLLM's and OpenRouter's convention: cache_control on Chat Completions content parts. */
  @Test
  void chatCompletionsContentPartsCarryCacheControlToAnthropic() {
    grizz.upstream.enqueue(AnthropicEngine.reply(AnthropicWire.textBlock(0, "ok")));

    HttpResponse<String> response =
        grizz.post(
            "/v1/chat/completions",
            Map.of("Authorization", "Bearer " + grizz.key()),
            """
            {"model":"anthropic/claude-haiku-4-5","messages":[
              {"role":"system","content":[{"type":"text","text":"Long rules.",
                "cache_control":{"type":"ephemeral"}}]},
              {"role":"user","content":[{"type":"text","text":"hi"}]}]}
            """);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode sent = JSON.readTree(grizz.upstream.requests.peek());
    assertThat(sent.path("system"))
        .isEqualTo(
            JSON.readTree(
                "[{\"type\":\"text\",\"text\":\"Long rules.\","
                    + "\"cache_control\":{\"type\":\"ephemeral\"}}]"));
    assertThat(sent.at("/messages/0/content").stringValue()).isEqualTo("hi");
  }

  @Test
  void aCacheControlTheApiWouldRefuseIsA400NamingIt() {
    for (String block :
        List.of(
            "{\"type\":\"text\",\"text\":\"hi\",\"cache_control\":{\"type\":\"persistent\"}}",
            "{\"type\":\"text\",\"text\":\"hi\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"2h\"}}")) {
      HttpResponse<String> response =
          grizz.post(
              "/v1/messages",
              Map.of("x-api-key", grizz.key()),
              "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":10,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":["
                  + block
                  + "]}]}");

      assertThat(response.statusCode()).as(block).isEqualTo(400);
      JsonNode error = JSON.readTree(response.body());
      assertThat(error.at("/error/type").stringValue()).isEqualTo("invalid_request_error");
      assertThat(error.at("/error/message").stringValue()).contains("cache_control");
    }
    assertThat(grizz.upstream.requests).isEmpty();
  }
}
