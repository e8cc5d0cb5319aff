package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Chat Completions' deprecated {@code functions} and {@code function_call}, end to end: sent to a
 * fake OpenAI upstream as tools and tool_choice, answered in the legacy shape, and a {@code
 * function} message taken as the result of the call before it.
 */
class OpenAiLegacyFunctionsIT {

  static V1Engine v1;

  @BeforeAll
  static void start() {
    v1 = new V1Engine();
  }

  @AfterAll
  static void stop() {
    v1.close();
  }

  static final String FUNCTIONS =
      "\"functions\":[{\"name\":\"weather\",\"description\":\"the weather\",\"parameters\":"
          + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]";

  static final String ASK =
      "\"model\":\"openai/gpt-5-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}]";

  /** The model calls weather(city: Paris), in pieces; each test takes what it scripts. */
  static void scriptOneCall() {
    v1.upstream.requests.clear();
    v1.upstream.enqueue(
        ChatWire.toolCall("call_w1", "weather", List.of("{\"ci", "ty\":\"Par", "is\"}")));
  }

  @Test
  void functionsGoUpstreamAsToolsAndTheCallComesBackAsFunctionCall() {
    scriptOneCall();

    V1Engine.Reply reply =
        v1.post(
            "{" + ASK + "," + FUNCTIONS + ",\"function_call\":{\"name\":\"weather\"}}", Map.of());

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    JsonNode got = v1.upstreamGot(0);
    assertThat(got.at("/tools/0/type").asString()).isEqualTo("function");
    assertThat(got.at("/tools/0/function/name").asString()).isEqualTo("weather");
    assertThat(got.at("/tools/0/function/description").asString()).isEqualTo("the weather");
    assertThat(got.at("/tool_choice/function/name").asString()).isEqualTo("weather");
    assertThat(got.has("functions")).isFalse();
    JsonNode choice = reply.body().at("/choices/0");
    assertThat(choice.get("finish_reason").asString()).isEqualTo("function_call");
    assertThat(choice.at("/message/function_call/name").asString()).isEqualTo("weather");
    assertThat(choice.at("/message/function_call/arguments").asString())
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(choice.at("/message/tool_calls").isMissingNode()).isTrue();
  }

  @Test
  void aStreamedCallIsDeltaFunctionCall() {
    scriptOneCall();

    List<JsonNode> chunks = v1.streamChunks("{" + ASK + "," + FUNCTIONS + ",\"stream\":true}");

    StringBuilder arguments = new StringBuilder();
    String name = null;
    String finish = null;
    for (JsonNode chunk : chunks) {
      JsonNode delta = chunk.at("/choices/0/delta");
      assertThat(delta.has("tool_calls")).as(chunk.toString()).isFalse();
      if (delta.has("function_call")) {
        if (delta.at("/function_call/name").isString()) {
          name = delta.at("/function_call/name").asString();
        }
        arguments.append(delta.at("/function_call/arguments").asString());
      }
      if (chunk.at("/choices/0/finish_reason").isString()) {
        finish = chunk.at("/choices/0/finish_reason").asString();
      }
    }
    assertThat(name).isEqualTo("weather");
    assertThat(arguments.toString()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(finish).isEqualTo("function_call");
  }

  @Test
  void severalCallsAnywayAreShownAsToolCallsNotLost() {
    v1.upstream.requests.clear();
    v1.upstream.enqueue(ChatWire.parallelCalls());

    V1Engine.Reply reply = v1.post("{" + ASK + "," + FUNCTIONS + "}", Map.of());

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    JsonNode choice = reply.body().at("/choices/0");
    assertThat(choice.get("finish_reason").asString()).isEqualTo("tool_calls");
    assertThat(choice.at("/message/tool_calls").findValuesAsString("name"))
        .containsExactly("weather", "time");
    assertThat(choice.at("/message/function_call").isMissingNode()).isTrue();
  }

  @Test
  void aFunctionMessageIsTheResultOfTheCallBeforeIt() {
    v1.upstream.requests.clear();
    v1.upstream.enqueue(ChatWire.text(V1Engine.ANSWER));

    V1Engine.Reply reply =
        v1.post(
            """
            {"model":"openai/gpt-5-mini","messages":[
              {"role":"user","content":"weather?"},
              {"role":"assistant","content":null,
               "function_call":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
              {"role":"function","name":"weather","content":"sunny, 21 degrees"}],
             %s}
            """
                .formatted(FUNCTIONS),
            Map.of());

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    assertThat(reply.body().at("/choices/0/message/content").asString()).isEqualTo(V1Engine.ANSWER);
    assertThat(reply.body().at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    JsonNode messages = v1.upstreamGot(0).get("messages");
    String callId = messages.at("/1/tool_calls/0/id").asString();
    assertThat(callId).isNotEmpty();
    assertThat(messages.at("/1/tool_calls/0/function/name").asString()).isEqualTo("weather");
    assertThat(messages.at("/1/tool_calls/0/function/arguments").asString())
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(messages.at("/2/role").asString()).isEqualTo("tool");
    assertThat(messages.at("/2/tool_call_id").asString()).isEqualTo(callId);
    assertThat(messages.at("/2/content").toString()).contains("sunny, 21 degrees");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // Two lists of what the model may call: refused naming the deprecated one.
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"w\"}}],"
            + FUNCTIONS
            + "|functions",
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"w\"}}],\"function_call\":\"auto\""
            + "|function_call",
        FUNCTIONS + ",\"tool_choice\":\"auto\"|tool_choice",
        FUNCTIONS + ",\"function_call\":{\"name\":\"nope\"}|function_call",
        FUNCTIONS + ",\"function_call\":\"required\"|function_call",
        FUNCTIONS + ",\"parallel_tool_calls\":true|parallel_tool_calls",
        "\"functions\":[{\"description\":\"no name\"}]|functions",
        "\"functions\":{}|functions"
      })
  void refusesNamingTheField(String fields, String param) {
    v1.upstream.requests.clear();

    V1Engine.Reply reply = v1.post("{" + ASK + "," + fields + "}", Map.of());

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
    assertThat(reply.body().at("/error/param").asString()).isEqualTo(param);
    assertThat(v1.upstream.requests).isEmpty();
  }

  @Test
  void aFunctionResultWithoutItsCallIsRefused() {
    v1.upstream.requests.clear();

    V1Engine.Reply reply =
        v1.post(
            "{\"model\":\"openai/gpt-5-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"function\",\"name\":\"weather\",\"content\":\"sunny\"}]}",
            Map.of());

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/param").asString()).isEqualTo("messages[1].name");
    assertThat(v1.upstream.requests).isEmpty();
  }
}
