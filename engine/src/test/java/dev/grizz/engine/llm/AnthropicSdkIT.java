package dev.grizz.engine.llm;

import static dev.grizz.engine.llm.AnthropicEngine.JSON;
import static dev.grizz.engine.llm.AnthropicEngine.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.NodeClients;
import dev.grizz.engine.PythonClients;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The official Anthropic SDK (Node, unmodified) against the engine's {@code /v1/messages}, the
 * engine's upstream a fake Anthropic: what the client gets, and what the upstream receives, for
 * text, streaming, a two-turn tool exchange (plain and streamed), an image, and errors; and the
 * official anthropic Python SDK likewise.
 */
class AnthropicSdkIT {

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
  void theAnthropicSdkTalksToGrizzAsToAnthropic() {
    grizz.upstream.enqueue(
        AnthropicEngine.reply(AnthropicWire.textBlock(0, "Hello", "!")),
        AnthropicEngine.reply(AnthropicWire.textBlock(0, "Streamed", " answer")),
        FakeUpstream.sse(
            AnthropicWire.message(
                25,
                0,
                "tool_use",
                9,
                AnthropicWire.textBlock(0, "Checking."),
                AnthropicWire.toolUseBlock(1, "toolu_01", "weather", "{\"ci", "ty\":\"Paris\"}"))),
        AnthropicEngine.reply(AnthropicWire.textBlock(0, "Sunny in Paris.")),
        FakeUpstream.sse(
            AnthropicWire.message(
                25,
                0,
                "tool_use",
                9,
                AnthropicWire.toolUseBlock(0, "toolu_02", "weather", "{\"city\"", ":\"Oslo\"}"))),
        AnthropicEngine.reply(AnthropicWire.textBlock(0, "Snow in Oslo.")),
        AnthropicEngine.reply(AnthropicWire.textBlock(0, "A tiny PNG.")));
    String key = grizz.key("anthropic-sdk");
    org.springframework.jdbc.core.simple.JdbcClient jdbc =
        grizz.engine.bean(org.springframework.jdbc.core.simple.JdbcClient.class);

    Map<String, JsonNode> steps =
        steps(
            NodeClients.run(
                "anthropic-messages.mjs",
                Map.of(
                    "GRIZZ_URL", "http://127.0.0.1:" + grizz.engine.port(),
                    "GRIZZ_KEY", key,
                    "GRIZZ_MODEL", MODEL)));
    List<JsonNode> received = new ArrayList<>();
    grizz.upstream.requests.forEach(body -> received.add(JSON.readTree(body)));

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
    assertThat(grizz.upstream.headers)
        .allSatisfy(
            headers -> assertThat(headers.getFirst("x-api-key")).isEqualTo("sk-ant-upstream"));
  }

  /**
   * The official anthropic Python SDK, its key as {@code api_key} (sent as {@code x-api-key}):
   * text, then two turns with a tool, not streamed and streamed ({@code messages.stream} + {@code
   * get_final_message}), the assistant's content blocks sent back as the SDK returned them; and the
   * SDK's tool loop, {@code beta.messages.tool_runner}.
   */
  @Test
  void theAnthropicPythonSdkTalksToGrizzAsToAnthropic() {
    grizz.upstream.enqueue(
        AnthropicEngine.reply(AnthropicWire.textBlock(0, "Hello", "!")),
        FakeUpstream.sse(
            AnthropicWire.message(
                25,
                0,
                "tool_use",
                9,
                AnthropicWire.textBlock(0, "Checking."),
                AnthropicWire.toolUseBlock(1, "toolu_01", "weather", "{\"ci", "ty\":\"Paris\"}"))),
        AnthropicEngine.reply(AnthropicWire.textBlock(0, "Sunny in Paris.")),
        FakeUpstream.sse(
            AnthropicWire.message(
                25,
                0,
                "tool_use",
                9,
                AnthropicWire.toolUseBlock(0, "toolu_02", "weather", "{\"city\"", ":\"Oslo\"}"))),
        AnthropicEngine.reply(AnthropicWire.textBlock(0, "Snow in ", "Oslo.")),
        FakeUpstream.sse(
            AnthropicWire.message(
                25,
                0,
                "tool_use",
                9,
                AnthropicWire.toolUseBlock(0, "toolu_03", "weather_tool", "{\"city\":\"Rome\"}"))),
        AnthropicEngine.reply(AnthropicWire.textBlock(0, "Sunny in Rome.")));

    JsonNode out =
        JSON.readTree(
            PythonClients.run(
                "anthropic_messages.py",
                Map.of(
                    "GRIZZ_URL",
                    "http://127.0.0.1:" + grizz.engine.port(),
                    "GRIZZ_KEY",
                    grizz.key("anthropic-python"),
                    "GRIZZ_MODEL",
                    MODEL)));
    List<JsonNode> received = new ArrayList<>();
    grizz.upstream.requests.forEach(body -> received.add(JSON.readTree(body)));

    assertThat(out.at("/text/content/0/text").stringValue()).isEqualTo("Hello!");
    assertThat(out.at("/text/stop_reason").stringValue()).isEqualTo("end_turn");
    assertThat(out.at("/text/usage/input_tokens").intValue()).isEqualTo(25);
    assertThat(received.get(0).path("system").stringValue()).isEqualTo("be brief");

    JsonNode call = out.at("/tool_turn_1/content/1");
    assertThat(call.path("type").stringValue()).isEqualTo("tool_use");
    assertThat(call.path("id").stringValue()).isEqualTo("toolu_01");
    assertThat(call.path("input")).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
    assertThat(out.at("/tool_turn_1/stop_reason").stringValue()).isEqualTo("tool_use");
    assertThat(received.get(1).at("/tools/0/name").stringValue()).isEqualTo("weather");
    assertThat(received.get(2).path("messages"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"role":"user","content":"weather in Paris?"},
                 {"role":"assistant","content":[{"type":"text","text":"Checking."},
                   {"type":"tool_use","id":"toolu_01","name":"weather","input":{"city":"Paris"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"sunny, 21 C"}]}]
                """));
    assertThat(out.at("/tool_turn_2/content/0/text").stringValue()).isEqualTo("Sunny in Paris.");

    assertThat(out.at("/stream_tool_turn_1/content/0/input"))
        .isEqualTo(JSON.readTree("{\"city\":\"Oslo\"}"));
    assertThat(out.at("/stream_tool_turn_1/stop_reason").stringValue()).isEqualTo("tool_use");
    assertThat(received.get(4).path("messages"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"role":"user","content":"weather in Oslo?"},
                 {"role":"assistant","content":[
                   {"type":"tool_use","id":"toolu_02","name":"weather","input":{"city":"Oslo"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_02","content":"snow"}]}]
                """));
    assertThat(out.at("/stream_tool_turn_2/content/0/text").stringValue())
        .isEqualTo("Snow in Oslo.");
    assertThat(out.path("streamed").stringValue()).isEqualTo("Snow in Oslo.");
    assertThat(out.at("/stream_tool_turn_2/usage/output_tokens").intValue()).isEqualTo(9);

    assertThat(out.at("/runner/0/stop_reason").stringValue()).isEqualTo("tool_use");
    assertThat(out.at("/runner/1/content/0/text").stringValue()).isEqualTo("Sunny in Rome.");
    assertThat(received.get(5).at("/tools/0/input_schema/properties/city/type").stringValue())
        .isEqualTo("string");
    assertThat(received.get(6).at("/messages/2"))
        .isEqualTo(
            JSON.readTree(
                "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                    + "\"tool_use_id\":\"toolu_03\",\"content\":\"sunny in Rome\"}]}"));
    assertThat(received).hasSize(7);
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
