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
 * The engine's own tools named in a Responses request ({@code {"type":"current_time"}}): the engine
 * runs the model's calls of them, sends the results back upstream and answers with an {@code
 * mcp_call} item per call before the final message; a caller's function calls still come back to
 * it; a stored response with such calls continues.
 */
class ResponsesServerToolsIT {

  static final JsonMapper JSON = JsonMapper.shared();

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
                "grizz.providers.route", "openai/gpt-4o-mini",
                "grizz.tools.require-approval", "fetch_url"));
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

  static List<JsonNode> upstreamRequests() {
    List<JsonNode> all = new ArrayList<>();
    upstream.requests.forEach(body -> all.add(JSON.readTree(body)));
    return all;
  }

  /** An answer that calls current_time for Tokyo, then the words after the result. */
  static void enqueueTimeCallThenAnswer() {
    upstream.enqueue(
        FakeUpstream.sse(
            List.of(
                OpenAiWire.toolCallStart(0, "call_t1", "current_time"),
                OpenAiWire.toolCallArguments(0, "{\"timezone\":\"Asia/Tokyo\"}"),
                OpenAiWire.chunk("{}", "tool_calls"),
                FakeUpstream.openAiUsage(30, 7),
                OpenAiWire.DONE)),
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("It is ", "noon."), 50, 4)));
  }

  static void assertSecondRequestCarriedTheCall() {
    List<JsonNode> sent = upstreamRequests();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).get("tools").get(0).get("function").get("name").asString())
        .isEqualTo("current_time");
    JsonNode messages = sent.get(1).get("messages");
    JsonNode call = messages.get(messages.size() - 2);
    assertThat(call.get("role").asString()).isEqualTo("assistant");
    assertThat(call.get("tool_calls").get(0).get("id").asString()).isEqualTo("call_t1");
    assertThat(call.get("tool_calls").get(0).get("function").get("name").asString())
        .isEqualTo("current_time");
    JsonNode result = messages.get(messages.size() - 1);
    assertThat(result.get("role").asString()).isEqualTo("tool");
    assertThat(result.get("tool_call_id").asString()).isEqualTo("call_t1");
    assertThat(result.get("content").toString()).contains("Asia/Tokyo");
  }

  @Test
  void runsTheEngineToolAndAnswersWithAnMcpCallItem() {
    enqueueTimeCallThenAnswer();
    ApiClient.Reply reply =
        api.post(
            "/v1/responses",
            "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Time in Tokyo?\","
                + "\"tools\":[{\"type\":\"current_time\"}]}");

    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    ResponsesWire.validateResponse(reply.raw());
    JsonNode output = reply.body().get("output");
    assertThat(output).hasSize(2);
    JsonNode call = output.get(0);
    assertThat(call.get("type").asString()).isEqualTo("mcp_call");
    assertThat(call.get("id").asString()).startsWith("mcp_");
    assertThat(call.get("server_label").asString()).isEqualTo("grizz");
    assertThat(call.get("name").asString()).isEqualTo("current_time");
    assertThat(call.get("arguments").asString()).isEqualTo("{\"timezone\":\"Asia/Tokyo\"}");
    assertThat(call.get("output").asString()).contains("Asia/Tokyo");
    assertThat(call.get("error").isNull()).isTrue();
    assertThat(output.get(1).get("type").asString()).isEqualTo("message");
    assertThat(output.get(1).get("content").get(0).get("text").asString()).isEqualTo("It is noon.");
    // Both rounds are billed, and counted.
    assertThat(reply.body().get("usage").get("input_tokens").asInt()).isEqualTo(80);
    assertThat(reply.body().get("usage").get("output_tokens").asInt()).isEqualTo(11);
    assertSecondRequestCarriedTheCall();
  }

  @Test
  void streamsTheMcpCallItemBeforeTheMessage() {
    enqueueTimeCallThenAnswer();
    ResponsesWire.Streamed reply =
        ResponsesWire.stream(
            engine.port(),
            api.token(),
            "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Time in Tokyo?\",\"stream\":true,"
                + "\"tools\":[{\"type\":\"current_time\"}]}");

    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    List<JsonNode> events = ResponsesWire.events(reply.raw());
    assertThat(events)
        .extracting(event -> event.get("type").asString())
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.mcp_call_arguments.done",
            "response.mcp_call.in_progress",
            "response.mcp_call.completed",
            "response.output_item.done",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    assertThat(events.get(2).get("output_index").asInt()).isZero();
    assertThat(events.get(2).get("item").get("type").asString()).isEqualTo("mcp_call");
    assertThat(events.get(6).get("item").get("output").asString()).contains("Asia/Tokyo");
    assertThat(events.get(7).get("output_index").asInt()).isEqualTo(1);
    JsonNode completed = events.getLast().get("response");
    assertThat(completed.get("output").get(0).get("type").asString()).isEqualTo("mcp_call");
    assertThat(completed.get("output").get(1).get("type").asString()).isEqualTo("message");
    assertSecondRequestCarriedTheCall();
  }

  @Test
  void runsTheServerCallOfAMixedAnswerAndReturnsTheFunctionCall() {
    upstream.enqueue(
        FakeUpstream.sse(
            List.of(
                OpenAiWire.toolCallStart(0, "call_t1", "current_time"),
                OpenAiWire.toolCallArguments(0, "{}"),
                OpenAiWire.toolCallStart(1, "call_w1", "get_weather"),
                OpenAiWire.toolCallArguments(1, "{\"city\":\"Paris\"}"),
                OpenAiWire.chunk("{}", "tool_calls"),
                FakeUpstream.openAiUsage(30, 7),
                OpenAiWire.DONE)));
    ApiClient.Reply reply =
        api.post(
            "/v1/responses",
            "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Time and weather?\",\"tools\":["
                + "{\"type\":\"current_time\"},"
                + ResponsesApiIT.WEATHER_TOOL
                + "]}");

    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    ResponsesWire.validateResponse(reply.raw());
    JsonNode output = reply.body().get("output");
    assertThat(output)
        .extracting(item -> item.get("type").asString())
        .containsExactly("mcp_call", "function_call");
    assertThat(output.get(0).get("output").asString()).contains("UTC");
    assertThat(output.get(1).get("call_id").asString()).isEqualTo("call_w1");
    assertThat(output.get(1).get("name").asString()).isEqualTo("get_weather");
    assertThat(upstreamRequests()).hasSize(1);

    // The caller runs its function and continues: the server call and its result are context.
    upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Sunny."), 60, 2)));
    ApiClient.Reply next =
        api.post(
            "/v1/responses",
            "{\"model\":\"openai/gpt-4o-mini\",\"previous_response_id\":\""
                + reply.body().get("id").asString()
                + "\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"call_w1\","
                + "\"output\":\"sunny\"}],\"tools\":[{\"type\":\"current_time\"},"
                + ResponsesApiIT.WEATHER_TOOL
                + "]}");
    assertThat(next.status()).as(next.raw()).isEqualTo(200);
    JsonNode messages = upstreamRequests().getLast().get("messages");
    assertThat(messages)
        .extracting(m -> m.get("role").asString())
        .containsExactly("user", "assistant", "tool", "assistant", "tool");
    assertThat(messages.get(1).get("tool_calls").get(0).get("function").get("name").asString())
        .isEqualTo("current_time");
    assertThat(messages.get(2).get("content").toString()).contains("UTC");
    assertThat(messages.get(3).get("tool_calls").get(0).get("id").asString()).isEqualTo("call_w1");
    assertThat(messages.get(4).get("content").toString()).contains("sunny");
  }

  @Test
  void continuesAResponseWithAnMcpCallByPreviousResponseId() {
    enqueueTimeCallThenAnswer();
    ApiClient.Reply first =
        api.post(
            "/v1/responses",
            "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Time in Tokyo?\","
                + "\"tools\":[{\"type\":\"current_time\"}]}");
    assertThat(first.status()).as(first.raw()).isEqualTo(200);
    upstream.requests.clear();
    upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Bye."), 70, 2)));

    ApiClient.Reply next =
        api.post(
            "/v1/responses",
            "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"Thanks\",\"previous_response_id\":\""
                + first.body().get("id").asString()
                + "\"}");

    assertThat(next.status()).as(next.raw()).isEqualTo(200);
    JsonNode messages = upstreamRequests().getLast().get("messages");
    assertThat(messages)
        .extracting(m -> m.get("role").asString())
        .containsExactly("user", "assistant", "tool", "assistant", "user");
    String mcpId = first.body().get("output").get(0).get("id").asString();
    assertThat(messages.get(1).get("tool_calls").get(0).get("id").asString()).isEqualTo(mcpId);
    assertThat(messages.get(2).get("tool_call_id").asString()).isEqualTo(mcpId);
    assertThat(messages.get(2).get("content").toString()).contains("Asia/Tokyo");
  }

  @Test
  void refusesAnUnknownTypeNamingTheEngineTools() {
    ApiClient.Reply reply =
        api.post("/v1/responses", "{\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}");

    assertThat(reply.status()).isEqualTo(400);
    JsonNode error = reply.body().get("error");
    assertThat(error.get("param").asString()).isEqualTo("tools");
    assertThat(error.get("message").asString()).contains("web_search", "current_time");
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void refusesAToolThatWaitsForApproval() {
    ApiClient.Reply reply =
        api.post("/v1/responses", "{\"input\":\"hi\",\"tools\":[{\"type\":\"fetch_url\"}]}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().get("error").get("message").asString()).contains("fetch_url");
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void theDemoCallsCurrentTimeWhenItIsOffered() {
    ApiClient.Reply reply =
        api.post(
            "/v1/responses",
            "{\"model\":\"demo/demo\",\"input\":\"What time is it in Tokyo?\",\"store\":false,"
                + "\"tools\":[{\"type\":\"current_time\"}]}");

    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    ResponsesWire.validateResponse(reply.raw());
    JsonNode output = reply.body().get("output");
    assertThat(output.get(0).get("type").asString()).isEqualTo("mcp_call");
    assertThat(output.get(0).get("output").asString()).contains("Asia/Tokyo");
    assertThat(output.get(output.size() - 1).get("type").asString()).isEqualTo("message");
  }
}
