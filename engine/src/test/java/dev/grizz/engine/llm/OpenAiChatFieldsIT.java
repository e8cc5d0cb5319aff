package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each field of {@code /v1/chat/completions}, end to end: an engine routed to a fake OpenAI
 * upstream either passes the field on (asserted on the body the upstream received) or refuses the
 * request with a 400 naming the field as the client sent it.
 */
class OpenAiChatFieldsIT {

  static final JsonMapper JSON = V1Engine.JSON;
  static V1Engine v1;

  @BeforeAll
  static void start() {
    v1 = new V1Engine();
  }

  @AfterAll
  static void stop() {
    v1.close();
  }

  static final String HI =
      "\"model\":\"openai/gpt-5-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
  static final String TOOLS =
      "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\",\"parameters\":"
          + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";

  static Arguments carried(String fields, Consumer<JsonNode> upstreamGot) {
    return Arguments.of(fields, upstreamGot);
  }

  static Stream<Arguments> carriedFields() {
    return Stream.of(
        carried(
            "\"temperature\":0.25",
            got -> assertThat(got.get("temperature").asDouble()).isEqualTo(0.25)),
        carried("\"top_p\":0.5", got -> assertThat(got.get("top_p").asDouble()).isEqualTo(0.5)),
        carried(
            "\"max_tokens\":50",
            got -> assertThat(got.get("max_completion_tokens").asInt()).isEqualTo(50)),
        carried(
            "\"max_completion_tokens\":60",
            got -> assertThat(got.get("max_completion_tokens").asInt()).isEqualTo(60)),
        carried("\"stop\":\"END\"", got -> assertThat(got.get("stop").toString()).contains("END")),
        carried(
            "\"stop\":[\"A\",\"B\"]",
            got -> assertThat(got.get("stop").toString()).isEqualTo("[\"A\",\"B\"]")),
        carried("\"seed\":7", got -> assertThat(got.get("seed").asLong()).isEqualTo(7)),
        carried(
            "\"presence_penalty\":0.5",
            got -> assertThat(got.get("presence_penalty").asDouble()).isEqualTo(0.5)),
        carried(
            "\"frequency_penalty\":-1",
            got -> assertThat(got.get("frequency_penalty").asDouble()).isEqualTo(-1)),
        carried(
            "\"logit_bias\":{\"50256\":-100}",
            got -> assertThat(got.at("/logit_bias/50256").asInt()).isEqualTo(-100)),
        carried("\"user\":\"u-1\"", got -> assertThat(got.get("user").asString()).isEqualTo("u-1")),
        carried(
            "\"reasoning_effort\":\"low\"",
            got -> assertThat(got.get("reasoning_effort").asString()).isEqualTo("low")),
        carried(
            "\"response_format\":{\"type\":\"json_object\"}",
            got -> assertThat(got.at("/response_format/type").asString()).isEqualTo("json_object")),
        carried(
            "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"city\",\"strict\":true,"
                + "\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}}}",
            got -> {
              assertThat(got.at("/response_format/json_schema/name").asString()).isEqualTo("city");
              assertThat(got.at("/response_format/json_schema/strict").asBoolean()).isTrue();
              assertThat(
                      got.at("/response_format/json_schema/schema/properties/name/type").asString())
                  .isEqualTo("string");
            }),
        carried(
            TOOLS + ",\"tool_choice\":\"required\",\"parallel_tool_calls\":false",
            got -> {
              assertThat(got.at("/tools/0/function/name").asString()).isEqualTo("weather");
              assertThat(got.get("tool_choice").asString()).isEqualTo("required");
              assertThat(got.get("parallel_tool_calls").asBoolean()).isFalse();
            }),
        carried(
            TOOLS + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}",
            got ->
                assertThat(got.at("/tool_choice/function/name").asString()).isEqualTo("weather")),
        carried(
            "\"n\":2,\"logprobs\":true,\"top_k\":3,\"temperature\":0.5,\"drop_params\":true",
            got -> {
              assertThat(got.has("n")).isFalse();
              assertThat(got.has("logprobs")).isFalse();
              assertThat(got.has("top_k")).isFalse();
              assertThat(got.get("temperature").asDouble()).isEqualTo(0.5);
            }),
        carried(
            "\"metadata\":{\"a\":\"b\"},\"store\":false,\"service_tier\":\"auto\",\"n\":1,\"logprobs\":false,"
                + "\"stream_options\":null,\"modalities\":[\"text\"]",
            got -> {
              assertThat(got.has("metadata")).isFalse();
              assertThat(got.has("store")).isFalse();
            }));
  }

  @ParameterizedTest
  @MethodSource("carriedFields")
  void carriesTheField(String fields, Consumer<JsonNode> upstreamGot) {
    v1.upstream.requests.clear();
    v1.upstream.enqueue(ChatWire.text("ok"));

    V1Engine.Reply reply = v1.post("{" + HI + "," + fields + "}", Map.of());

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    assertThat(reply.body().at("/choices/0/message/content").asString()).isEqualTo("ok");
    assertThat(v1.upstream.requests).hasSize(1);
    upstreamGot.accept(JSON.readTree(v1.upstream.requests.peek()));
  }

  static Stream<Arguments> refusedFields() {
    return Stream.of(
        Arguments.of("\"n\":2", "n", "unsupported_parameter"),
        Arguments.of("\"logprobs\":true", "logprobs", "unsupported_parameter"),
        Arguments.of("\"top_k\":3", "top_k", "unsupported_parameter"),
        Arguments.of("\"temperature\":3", "temperature", "invalid_value"),
        Arguments.of("\"temperature\":\"warm\"", "temperature", "invalid_type"),
        Arguments.of("\"max_tokens\":0", "max_tokens", "invalid_value"),
        Arguments.of("\"max_completion_tokens\":-1", "max_completion_tokens", "invalid_value"),
        Arguments.of("\"max_tokens\":5,\"max_completion_tokens\":5", "max_tokens", "invalid_value"),
        Arguments.of(
            "\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"x\"}}]",
            "tools",
            "unsupported_parameter"),
        Arguments.of("\"verbosity\":\"low\"", "verbosity", "unsupported_parameter"),
        Arguments.of("\"audio\":{\"voice\":\"alloy\"}", "audio", "unsupported_parameter"),
        Arguments.of("\"top_logprobs\":2", "top_logprobs", "invalid_value"),
        // Above the catalog's output limit for gpt-5-mini (128000): the router's refusal names the
        // field the client sent.
        Arguments.of("\"max_tokens\":200000", "max_tokens", "unsupported_parameter"),
        Arguments.of(
            "\"max_completion_tokens\":200000", "max_completion_tokens", "unsupported_parameter"));
  }

  @ParameterizedTest
  @MethodSource("refusedFields")
  void refusesNamingTheField(String fields, String param, String code) {
    v1.upstream.requests.clear();

    V1Engine.Reply reply = v1.post("{" + HI + "," + fields + "}", Map.of());

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
    assertThat(reply.body().at("/error/type").asString()).isEqualTo("invalid_request_error");
    assertThat(reply.body().at("/error/param").asString()).isEqualTo(param);
    assertThat(reply.body().at("/error/code").asString()).isEqualTo(code);
    assertThat(v1.upstream.requests).isEmpty();
  }

  @Test
  void carriesImagesDeveloperMessagesAndAToolExchange() {
    v1.upstream.requests.clear();
    v1.upstream.enqueue(ChatWire.text("a cat"));

    V1Engine.Reply reply =
        v1.post(
            """
            {"model":"openai/gpt-5-mini","messages":[
              {"role":"developer","content":"be brief"},
              {"role":"user","content":[{"type":"text","text":"what is this?"},
                {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"low"}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                "function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"sunny"}],
             %s}
            """
                .formatted(TOOLS),
            Map.of());

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    JsonNode got = JSON.readTree(v1.upstream.requests.peek());
    assertThat(got.at("/messages/0/content").toString()).contains("be brief");
    assertThat(got.at("/messages/1/content/1/image_url/url").asString())
        .isEqualTo("https://example.com/cat.png");
    assertThat(got.at("/messages/1/content/1/image_url/detail").asString()).isEqualTo("low");
    assertThat(got.at("/messages/2/tool_calls/0/id").asString()).isEqualTo("call_1");
    assertThat(got.at("/messages/2/tool_calls/0/function/arguments").asString())
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(got.at("/messages/3/role").asString()).isEqualTo("tool");
    assertThat(got.at("/messages/3/tool_call_id").asString()).isEqualTo("call_1");
  }

  @Test
  void theConversationModeRefusesWhatItCannotCarry() {
    v1.upstream.requests.clear();
    String conversation =
        v1.engine.adminApi().post("/api/v1/conversations", "{}").body().get("id").asString();
    V1Engine.Reply reply =
        v1.post(
            "{" + HI + ",\"temperature\":0.5}", Map.of("X-Grizz-Conversation-Id", conversation));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/param").asString()).isEqualTo("temperature");
    assertThat(reply.body().at("/error/code").asString()).isEqualTo("unsupported_parameter");
    assertThat(reply.body().at("/error/message").asString()).contains("X-Grizz-Conversation-Id");
    assertThat(v1.upstream.requests).isEmpty();
  }
}
