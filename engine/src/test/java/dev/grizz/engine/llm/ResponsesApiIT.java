package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/responses} against an engine whose upstream is an OpenAI Chat Completions fake: what
 * the Responses request asks reaches the upstream as Chat Completions (instructions, images, tools,
 * tool calls and results, the response format), and the answer comes back as OpenAI's response
 * object or its event stream; stored responses continue, read back and delete for their owner only.
 */
class ResponsesApiIT {

  static final JsonMapper JSON = JsonMapper.shared();
  static final String WEATHER_TOOL =
      """
      {"type":"function","name":"get_weather","description":"The weather in a city",
       "parameters":{"type":"object","properties":{"city":{"type":"string"}},
       "required":["city"],"additionalProperties":false},"strict":true}
      """;

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

  @BeforeEach
  void forgetRequests() {
    upstream.requests.clear();
  }

  static JsonNode lastUpstreamRequest() {
    List<String> all = new ArrayList<>(upstream.requests);
    return JSON.readTree(all.getLast());
  }

  static ResponsesWire.Streamed stream(String body) {
    return ResponsesWire.stream(engine.port(), api.token(), body);
  }

  @Test
  void answersTextAsAResponseObject() {
    upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Hi", " there"), 21, 3)));
    ApiClient.Reply reply =
        api.post(
            "/v1/responses",
            """
            {"model":"openai/gpt-4o-mini","input":"Hello","instructions":"Be brief",
             "temperature":0.5,"max_output_tokens":100,"metadata":{"run":"7"},"store":false}
            """);

    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    ResponsesWire.validateResponse(reply.raw());
    JsonNode response = reply.body();
    assertThat(response.get("id").asString()).startsWith("resp_");
    assertThat(response.get("object").asString()).isEqualTo("response");
    assertThat(response.get("status").asString()).isEqualTo("completed");
    assertThat(response.get("model").asString()).isEqualTo("openai/gpt-4o-mini");
    assertThat(response.get("metadata").get("run").asString()).isEqualTo("7");
    assertThat(response.get("output")).hasSize(1);
    JsonNode message = response.get("output").get(0);
    assertThat(message.get("type").asString()).isEqualTo("message");
    assertThat(message.get("id").asString()).startsWith("msg_");
    assertThat(message.get("role").asString()).isEqualTo("assistant");
    assertThat(message.get("content").get(0).get("type").asString()).isEqualTo("output_text");
    assertThat(message.get("content").get(0).get("text").asString()).isEqualTo("Hi there");
    JsonNode usage = response.get("usage");
    assertThat(usage.get("input_tokens").asInt()).isEqualTo(21);
    assertThat(usage.get("output_tokens").asInt()).isEqualTo(3);
    assertThat(usage.get("total_tokens").asInt()).isEqualTo(24);
    assertThat(usage.get("input_tokens_details").get("cached_tokens").asInt()).isZero();

    JsonNode sent = lastUpstreamRequest();
    assertThat(sent.get("messages").get(0).get("role").asString()).isEqualTo("system");
    assertThat(sent.get("messages").get(0).get("content").asString()).isEqualTo("Be brief");
    assertThat(sent.get("messages").get(1).get("role").asString()).isEqualTo("user");
    assertThat(sent.get("temperature").asDouble()).isEqualTo(0.5);
    assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(100);
    // store:false keeps nothing.
    assertThat(api.get("/v1/responses/" + response.get("id").asString()).status()).isEqualTo(404);
  }

  @Test
  void streamsOpenAisEventSequence() {
    upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Hi", " there"), 21, 3)));
    ResponsesWire.Streamed reply =
        stream("{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Hello\",\"stream\":true}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("text/event-stream");
    List<JsonNode> events = ResponsesWire.events(reply.raw());
    assertThat(events)
        .extracting(event -> event.get("type").asString())
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).get("sequence_number").asInt()).isEqualTo(i);
    }
    assertThat(events.get(0).get("response").get("status").asString()).isEqualTo("in_progress");
    assertThat(events.get(4).get("delta").asString()).isEqualTo("Hi");
    assertThat(events.get(6).get("text").asString()).isEqualTo("Hi there");
    JsonNode completed = events.getLast().get("response");
    assertThat(completed.get("status").asString()).isEqualTo("completed");
    assertThat(completed.get("output").get(0).get("content").get(0).get("text").asString())
        .isEqualTo("Hi there");
    assertThat(completed.get("usage").get("input_tokens").asInt()).isEqualTo(21);
    // Stored (the default): read back as it was returned.
    JsonNode stored = api.get("/v1/responses/" + completed.get("id").asString()).body();
    assertThat(stored).isEqualTo(completed);
  }

  @Test
  void sendsImagesAndTheResponseFormatUpstream() {
    upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("{\"a\":1}"), 30, 5)));
    ApiClient.Reply reply =
        api.post(
            "/v1/responses",
            """
            {"model":"openai/gpt-4o-mini","input":[{"role":"user","content":[
               {"type":"input_text","text":"What is this?"},
               {"type":"input_image","image_url":"https://example.com/cat.png","detail":"low"}]}],
             "text":{"format":{"type":"json_schema","name":"thing","strict":true,
               "schema":{"type":"object","properties":{"a":{"type":"integer"}}}}}}
            """);

    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    ResponsesWire.validateResponse(reply.raw());
    JsonNode sent = lastUpstreamRequest();
    JsonNode parts = sent.get("messages").get(0).get("content");
    assertThat(parts.get(0).get("text").asString()).isEqualTo("What is this?");
    assertThat(parts.get(1).get("type").asString()).isEqualTo("image_url");
    assertThat(parts.get(1).get("image_url").get("url").asString())
        .isEqualTo("https://example.com/cat.png");
    assertThat(parts.get(1).get("image_url").get("detail").asString()).isEqualTo("low");
    JsonNode format = sent.get("response_format");
    assertThat(format.get("type").asString()).isEqualTo("json_schema");
    assertThat(format.get("json_schema").get("name").asString()).isEqualTo("thing");
    assertThat(format.get("json_schema").get("strict").asBoolean()).isTrue();
    assertThat(format.get("json_schema").get("schema").get("properties").has("a")).isTrue();
    assertThat(reply.body().get("text").get("format").get("name").asString()).isEqualTo("thing");
  }

  @Test
  void continuesAToolCallByPreviousResponseId() {
    upstream.enqueue(FakeUpstream.sse(ResponsesWire.weatherCall("call_abc")));
    ApiClient.Reply first =
        api.post(
            "/v1/responses",
            "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Weather in Paris?\",\"tools\":["
                + WEATHER_TOOL
                + "],\"tool_choice\":\"auto\"}");
    assertThat(first.status()).as(first.raw()).isEqualTo(200);
    ResponsesWire.validateResponse(first.raw());
    JsonNode call = first.body().get("output").get(0);
    assertThat(call.get("type").asString()).isEqualTo("function_call");
    assertThat(call.get("id").asString()).startsWith("fc_");
    assertThat(call.get("call_id").asString()).isEqualTo("call_abc");
    assertThat(call.get("name").asString()).isEqualTo("get_weather");
    assertThat(call.get("arguments").asString()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(call.get("status").asString()).isEqualTo("completed");
    JsonNode tools = lastUpstreamRequest().get("tools");
    assertThat(tools.get(0).get("type").asString()).isEqualTo("function");
    assertThat(tools.get(0).get("function").get("name").asString()).isEqualTo("get_weather");
    assertThat(tools.get(0).get("function").get("strict").asBoolean()).isTrue();

    upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("21 degrees"), 60, 4)));
    ApiClient.Reply second =
        api.post(
            "/v1/responses",
            "{\"model\":\"openai/gpt-4o-mini\",\"previous_response_id\":\""
                + first.body().get("id").asString()
                + "\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"call_abc\","
                + "\"output\":\"{\\\"celsius\\\":21}\"}],\"tools\":["
                + WEATHER_TOOL
                + "]}");
    assertThat(second.status()).as(second.raw()).isEqualTo(200);
    assertThat(second.body().get("previous_response_id").asString())
        .isEqualTo(first.body().get("id").asString());
    assertToolRoundTrip(lastUpstreamRequest().get("messages"), "Weather in Paris?");
  }

  @Test
  void continuesAToolCallFromItemsAlone() {
    upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Sunny"), 60, 4)));
    ResponsesWire.Streamed reply =
        stream(
            "{\"model\":\"openai/gpt-4o-mini\",\"store\":false,\"stream\":true,\"tools\":["
                + WEATHER_TOOL
                + "],\"input\":[{\"role\":\"user\",\"content\":\"Weather in Rome?\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"call_abc\",\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"call_abc\","
                + "\"output\":\"{\\\"celsius\\\":21}\"}]}");
    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    assertThat(ResponsesWire.events(reply.raw()).getLast().get("type").asString())
        .isEqualTo("response.completed");
    assertToolRoundTrip(lastUpstreamRequest().get("messages"), "Weather in Rome?");
  }

  private static void assertToolRoundTrip(JsonNode messages, String question) {
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0).get("role").asString()).isEqualTo("user");
    assertThat(messages.get(0).toString()).contains(question);
    JsonNode assistant = messages.get(1);
    assertThat(assistant.get("role").asString()).isEqualTo("assistant");
    JsonNode call = assistant.get("tool_calls").get(0);
    assertThat(call.get("id").asString()).isEqualTo("call_abc");
    assertThat(call.get("function").get("name").asString()).isEqualTo("get_weather");
    assertThat(call.get("function").get("arguments").asString()).isEqualTo("{\"city\":\"Paris\"}");
    JsonNode result = messages.get(2);
    assertThat(result.get("role").asString()).isEqualTo("tool");
    assertThat(result.get("tool_call_id").asString()).isEqualTo("call_abc");
    assertThat(result.get("content").toString()).contains("celsius");
  }

  @Test
  void streamsAFunctionCallsEvents() {
    upstream.enqueue(FakeUpstream.sse(ResponsesWire.weatherCall("call_s")));
    ResponsesWire.Streamed reply =
        stream(
            "{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,\"input\":\"Paris?\",\"tools\":["
                + WEATHER_TOOL
                + "]}");
    List<JsonNode> events = ResponsesWire.events(reply.raw());
    assertThat(events)
        .extracting(event -> event.get("type").asString())
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed");
    assertThat(events.get(2).get("item").get("call_id").asString()).isEqualTo("call_s");
    assertThat(events.get(5).get("arguments").asString()).isEqualTo("{\"city\":\"Paris\"}");
  }

  @Test
  void anAnswerTheContentPolicyBlocksIsWithheldAsFilteredContent() {
    String threat = "I'm going to kill you, you idiot";
    upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of(threat), 5, 8)));
    ApiClient.Reply whole =
        api.post("/v1/responses", "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Hi\"}");
    assertThat(whole.status()).as(whole.raw()).isEqualTo(200);
    ResponsesWire.validateResponse(whole.raw());
    assertThat(whole.body().get("status").asString()).isEqualTo("incomplete");
    assertThat(whole.body().at("/incomplete_details/reason").asString())
        .isEqualTo("content_filter");
    assertThat(whole.body().get("output")).isEmpty();
    assertThat(whole.raw()).doesNotContain("kill");
    String id = whole.body().get("id").asString();
    assertThat(api.get("/v1/responses/" + id).raw()).doesNotContain("kill");

    upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of(threat), 5, 8)));
    JsonNode last =
        ResponsesWire.events(
                stream("{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Hi\",\"stream\":true}").raw())
            .getLast();
    assertThat(last.get("type").asString()).isEqualTo("response.incomplete");
    assertThat(last.at("/response/incomplete_details/reason").asString())
        .isEqualTo("content_filter");
    // What streamed before the check cannot be taken back; nothing of it is repeated or kept.
    assertThat(last.get("response").get("output")).isEmpty();
    assertThat(api.get("/v1/responses/" + last.at("/response/id").asString()).raw())
        .doesNotContain("kill");
  }
}
