package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.NodeClients;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real clients of the Responses API, unmodified, against an engine whose upstream is an OpenAI Chat
 * Completions fake: the Vercel AI SDK's default OpenAI provider ({@code
 * clients/ai-sdk-responses.mjs}) and the OpenAI Node SDK's {@code responses.create} ({@code
 * clients/openai-responses.mjs}), text and two-step tool use, streamed and not.
 */
class ResponsesClientsIT {

  static final JsonMapper JSON = JsonMapper.shared();

  static FakeUpstream upstream;
  static PrivateRedis redis;
  static EngineInstance engine;
  static String key;

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
    // An anonymous user has no API keys: an admin's, as the OpenAI SDK tests use.
    ApiClient api = engine.adminApi();
    key = api.post("/api/v1/api-keys", "{\"name\":\"node\"}").body().get("key").asString();
  }

  @AfterAll
  static void stop() {
    engine.close();
    upstream.close();
    redis.close();
  }

  private static Map<String, String> env() {
    return Map.of(
        "GRIZZ_BASE_URL",
        "http://localhost:" + engine.port() + "/v1",
        "GRIZZ_API_KEY",
        key,
        "GRIZZ_MODEL",
        "gpt-4o-mini");
  }

  private static List<JsonNode> upstreamRequests() {
    List<JsonNode> all = new ArrayList<>();
    upstream.requests.forEach(body -> all.add(JSON.readTree(body)));
    return all;
  }

  /**
   * Text, then a call: the AI SDK sends the text back on the next step as an {@code item_reference}
   * to the stored message item (its default, {@code store}), which the engine resolves.
   */
  static List<String> textThenWeatherCall(String text, String callId) {
    List<String> frames = new ArrayList<>(ResponsesWire.weatherCall(callId));
    frames.addFirst(
        ResponsesWire.chunk(
            "{\"role\":\"assistant\",\"content\":" + JSON.writeValueAsString(text) + "}", null));
    return frames;
  }

  @Test
  void theAiSdksDefaultProviderGeneratesAndStreamsWithATool() {
    upstream.requests.clear();
    upstream.enqueue(
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Hello", " from Grizz"), 10, 3)),
        FakeUpstream.sse(ResponsesWire.weatherCall("call_gen")),
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("21 degrees in Paris."), 60, 6)),
        FakeUpstream.sse(textThenWeatherCall("Let me check. ", "call_str")),
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Also ", "21 in Rome."), 60, 6)));

    JsonNode out = JSON.readTree(NodeClients.run("ai-sdk-responses.mjs", env()).strip());

    assertThat(out.get("plain").get("text").asString()).isEqualTo("Hello from Grizz");
    assertThat(out.get("plain").get("finishReason").asString()).isEqualTo("stop");
    assertThat(out.get("plain").get("responseId").asString()).startsWith("resp_");
    JsonNode generated = out.get("generated");
    assertThat(generated.get("steps").asInt()).isEqualTo(2);
    assertThat(generated.get("toolCalls").get(0).get("name").asString()).isEqualTo("get_weather");
    assertThat(generated.get("toolCalls").get(0).get("input").get("city").asString())
        .isEqualTo("Paris");
    assertThat(generated.get("finishReasons").toString()).isEqualTo("[\"tool-calls\",\"stop\"]");
    assertThat(generated.get("text").asString()).isEqualTo("21 degrees in Paris.");
    JsonNode streamed = out.get("streamed");
    assertThat(streamed.get("steps").asInt()).isEqualTo(2);
    assertThat(streamed.get("text").asString()).isEqualTo("Let me check. Also 21 in Rome.");
    // The stored message came back by reference, the call and its output inline.
    assertThat(streamed.get("secondInput").toString())
        .isEqualTo("[\"user\",\"item_reference\",\"function_call\",\"function_call_output\"]");
    assertThat(out.get("executed").toString()).isEqualTo("[\"Paris\",\"Paris\"]");

    List<JsonNode> sent = upstreamRequests();
    assertThat(sent).hasSize(5);
    // The second step of each: the question, the call, and the tool's result, as Chat Completions.
    for (int second : new int[] {2, 4}) {
      JsonNode messages = sent.get(second).get("messages");
      assertThat(messages).as(messages.toString()).hasSize(3);
      assertThat(messages.get(1).toString())
          .contains(second == 4 ? "Let me check." : "get_weather");
      assertThat(messages.get(1).get("tool_calls").get(0).get("function").get("name").asString())
          .isEqualTo("get_weather");
      assertThat(messages.get(2).get("role").asString()).isEqualTo("tool");
      assertThat(messages.get(2).toString()).contains("celsius");
    }
    assertThat(sent.get(1).get("tools").get(0).get("function").get("name").asString())
        .isEqualTo("get_weather");
  }

  @Test
  void theOpenAiNodeSdkCreatesStreamsContinuesRetrievesAndDeletes() {
    upstream.requests.clear();
    upstream.enqueue(
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Hello"), 10, 1)),
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Hello", " again"), 10, 2)),
        FakeUpstream.sse(ResponsesWire.weatherCall("call_sdk")),
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("21 degrees."), 60, 3)));

    JsonNode out = JSON.readTree(NodeClients.run("openai-responses.mjs", env()).strip());

    assertThat(out.get("plain").get("text").asString()).isEqualTo("Hello");
    assertThat(out.get("plain").get("status").asString()).isEqualTo("completed");
    assertThat(out.get("plain").get("usage").get("total_tokens").asInt()).isEqualTo(11);
    assertThat(out.get("streamed").get("text").asString()).isEqualTo("Hello again");
    assertThat(out.get("streamed").get("events").toString())
        .startsWith("[\"response.created\",\"response.in_progress\"")
        .endsWith("\"response.output_item.done\",\"response.completed\"]");
    assertThat(out.get("call").get("name").asString()).isEqualTo("get_weather");
    assertThat(out.get("call").get("arguments").asString()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(out.get("call").get("callId").asString()).isEqualTo("call_sdk");
    assertThat(out.get("answered").get("text").asString()).isEqualTo("21 degrees.");
    assertThat(out.get("answered").get("previous").asString()).startsWith("resp_");
    assertThat(out.get("retrieved").asString()).isEqualTo("21 degrees.");
    // The question, the call (from the earlier response's output) and its output, in two pages.
    JsonNode items = out.get("inputItems");
    assertThat(items).hasSize(3);
    assertThat(items.get(0).get("type").asString()).isEqualTo("message");
    assertThat(items.get(0).get("role").asString()).isEqualTo("user");
    assertThat(items.get(0).get("id").asString()).startsWith("msg_");
    assertThat(items.get(1).get("type").asString()).isEqualTo("function_call");
    assertThat(items.get(1).get("id").asString()).startsWith("fc_");
    assertThat(items.get(2).get("type").asString()).isEqualTo("function_call_output");
    assertThat(out.get("afterDelete").asInt()).isEqualTo(404);

    List<JsonNode> sent = upstreamRequests();
    assertThat(sent.get(0).get("messages").get(0).get("content").asString()).isEqualTo("Be brief");
    JsonNode continued = sent.get(3).get("messages");
    assertThat(continued).as(continued.toString()).hasSize(3);
    assertThat(continued.get(1).get("tool_calls").get(0).get("id").asString())
        .isEqualTo("call_sdk");
    assertThat(continued.get(2).get("tool_call_id").asString()).isEqualTo("call_sdk");
  }

  @Test
  void theOpenAiJavaSdksModelsValidateWhatTheEngineSends() {
    upstream.enqueue(
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Hello"), 10, 1)),
        FakeUpstream.sse(ResponsesWire.weatherCall("call_java")),
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Hi", " again"), 10, 2)));
    com.openai.client.OpenAIClient client =
        com.openai.client.okhttp.OpenAIOkHttpClient.builder()
            .baseUrl("http://localhost:" + engine.port() + "/v1")
            .apiKey(key)
            .maxRetries(0)
            .build();

    com.openai.models.responses.Response text =
        client
            .responses()
            .create(
                com.openai.models.responses.ResponseCreateParams.builder()
                    .model("gpt-4o-mini")
                    .input("Say hello")
                    .build());
    // validate() checks every field the SDK's model requires is there, with its type.
    text.validate();
    assertThat(text.output().getFirst().asMessage().content().getFirst().asOutputText().text())
        .isEqualTo("Hello");

    com.openai.models.responses.Response call =
        client
            .responses()
            .create(
                com.openai.models.responses.ResponseCreateParams.builder()
                    .model("gpt-4o-mini")
                    .input("Weather in Paris?")
                    .addTool(
                        com.openai.models.responses.FunctionTool.builder()
                            .name("get_weather")
                            .parameters(
                                com.openai.models.responses.FunctionTool.Parameters.builder()
                                    .putAdditionalProperty(
                                        "type", com.openai.core.JsonValue.from("object"))
                                    .build())
                            .strict(false)
                            .build())
                    .build());
    call.validate();
    assertThat(call.output().getFirst().asFunctionCall().callId()).isEqualTo("call_java");

    StringBuilder streamed = new StringBuilder();
    List<String> types = new ArrayList<>();
    try (com.openai.core.http.StreamResponse<com.openai.models.responses.ResponseStreamEvent>
        stream =
            client
                .responses()
                .createStreaming(
                    com.openai.models.responses.ResponseCreateParams.builder()
                        .model("gpt-4o-mini")
                        .input("Say hello again")
                        .build())) {
      stream.stream()
          .forEach(
              event -> {
                event.validate();
                types.add(event._json().orElseThrow().toString());
                event.outputTextDelta().ifPresent(delta -> streamed.append(delta.delta()));
              });
    }
    assertThat(streamed.toString()).isEqualTo("Hi again");
    assertThat(types).hasSize(10);
  }

  /** The OpenAI Agents SDK: an agent with a tool, run plainly and streamed. */
  @Test
  void theOpenAiAgentsSdkRunsAnAgentWithATool() {
    upstream.requests.clear();
    upstream.enqueue(
        FakeUpstream.sse(ResponsesWire.weatherCall("call_ag1")),
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("21 in Paris."), 60, 6)),
        FakeUpstream.sse(ResponsesWire.weatherCall("call_ag2")),
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Also ", "21."), 60, 6)));

    JsonNode out = JSON.readTree(NodeClients.run("agents-responses.mjs", env()).strip());

    assertThat(out.get("finalOutput").asString()).isEqualTo("21 in Paris.");
    assertThat(out.get("streamedFinal").asString()).isEqualTo("Also 21.");
    assertThat(out.get("text").asString()).isEqualTo("Also 21.");
    assertThat(out.get("calls").toString()).isEqualTo("[\"Paris\",\"Paris\"]");
    List<JsonNode> sent = upstreamRequests();
    assertThat(sent).hasSize(4);
    JsonNode second = sent.get(1).get("messages");
    assertThat(second.get(0).get("role").asString()).isEqualTo("system");
    assertThat(second.get(2).get("tool_calls").get(0).get("id").asString()).isEqualTo("call_ag1");
    assertThat(second.get(3).get("tool_call_id").asString()).isEqualTo("call_ag1");
  }
}
