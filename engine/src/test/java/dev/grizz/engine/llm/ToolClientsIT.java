package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.NodeClients;
import dev.grizz.engine.PythonClients;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.TokenStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Unmodified real clients doing a two-turn tool-calling exchange through {@code /v1} against a fake
 * OpenAI upstream, streaming and not: the upstream calls {@code weather} on turn 1 and answers in
 * text once the client sent the tool's result on turn 2. Asserted on both sides: what the client
 * got, and what the upstream received on turn 2 (the call and its result).
 */
class ToolClientsIT {

  static final JsonMapper JSON = V1Engine.JSON;
  static final String ANSWER = V1Engine.ANSWER;
  static V1Engine v1;

  @BeforeAll
  static void start() {
    v1 = new V1Engine();
  }

  @AfterAll
  static void stop() {
    v1.close();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void openAiNodeSdkRunTools(boolean stream) {
    v1.scriptToolExchange();
    JsonNode out = V1Engine.lastLine(NodeClients.run("openai-tools.mjs", v1.clientEnv(stream)));

    assertThat(out.get("content").asString()).isEqualTo(ANSWER);
    assertThat(out.at("/calls/0/city").asString()).isEqualTo("Paris");
    v1.upstreamGotTheResult();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void vercelAiSdkChatProvider(boolean stream) {
    v1.scriptToolExchange();
    JsonNode out = V1Engine.lastLine(NodeClients.run("ai-sdk-tools.mjs", v1.clientEnv(stream)));

    assertThat(out.get("text").asString()).isEqualTo(ANSWER);
    assertThat(out.at("/calls/0/city").asString()).isEqualTo("Paris");
    assertThat(out.get("steps").toString()).isEqualTo("[\"tool-calls\",\"stop\"]");
    v1.upstreamGotTheResult();
  }

  @Test
  void openAiNodeSdkParsesStructuredOutput() {
    v1.upstream.requests.clear();
    v1.upstream.enqueue(ChatWire.text("{\"name\":\"Paris\",\"population\":2100000}"));

    JsonNode out = V1Engine.lastLine(NodeClients.run("openai-parse.mjs", v1.clientEnv(false)));

    assertThat(out.at("/parsed/name").asString()).isEqualTo("Paris");
    assertThat(out.at("/parsed/population").asLong()).isEqualTo(2100000);
    assertThat(out.get("finish").asString()).isEqualTo("stop");
    JsonNode got = JSON.readTree(v1.upstream.requests.peek());
    assertThat(got.at("/response_format/type").asString()).isEqualTo("json_schema");
    assertThat(got.at("/response_format/json_schema/name").asString()).isEqualTo("city");
    assertThat(got.at("/response_format/json_schema/strict").asBoolean()).isTrue();
    assertThat(got.at("/response_format/json_schema/schema/properties/population/type").asString())
        .isEqualTo("number");
  }

  /**
   * The official openai Python SDK: {@code create(tools=...)} with the returned message appended as
   * is; streamed, {@code chat.completions.stream} with a pydantic tool (sent {@code strict}), the
   * SDK assembling the call's deltas and parsing its arguments into the model.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void openAiPythonSdkTools(boolean stream) {
    v1.scriptToolExchange();
    JsonNode out = V1Engine.lastLine(PythonClients.run("openai_tools.py", v1.clientEnv(stream)));

    assertThat(out.get("content").asString()).isEqualTo(ANSWER);
    assertThat(out.at("/calls/0/city").asString()).isEqualTo("Paris");
    assertThat(out.get("finishes").toString()).isEqualTo("[\"tool_calls\",\"stop\"]");
    v1.upstreamGotTheResult();
    if (stream) {
      assertThat(out.get("streamed").asString()).isEqualTo(ANSWER);
      assertThat(out.at("/done_events/0/city").asString()).isEqualTo("Paris");
      JsonNode tool = v1.upstreamGot(0).at("/tools/0/function");
      assertThat(tool.get("strict").asBoolean()).isTrue();
      assertThat(tool.at("/parameters/additionalProperties").asBoolean(true)).isFalse();
    }
  }

  /**
   * The openai Python SDK's {@code chat.completions.parse} with a pydantic model: {@code .parsed}
   * comes back as that model, streamed too; the upstream got the strict json_schema. Then an image
   * part, which reaches the upstream as OpenAI's {@code image_url}, and an out-of-range value,
   * raised by the SDK as its {@code BadRequestError} naming the parameter.
   */
  @Test
  void openAiPythonSdkParsesAndSendsImages() {
    v1.upstream.requests.clear();
    v1.upstream.enqueue(
        ChatWire.text("{\"name\":\"Paris\",\"population\":2100000}"),
        ChatWire.text("", List.of("{\"name\":\"Par", "is\",\"population\":2100000}")),
        ChatWire.text("A tiny PNG."));

    JsonNode out = V1Engine.lastLine(PythonClients.run("openai_parse.py", v1.clientEnv(false)));

    assertThat(out.get("is_city").asBoolean()).isTrue();
    assertThat(out.at("/parsed/name").asString()).isEqualTo("Paris");
    assertThat(out.at("/parsed/population").asLong()).isEqualTo(2100000);
    assertThat(out.get("finish").asString()).isEqualTo("stop");
    JsonNode format = v1.upstreamGot(0).get("response_format");
    assertThat(format.get("type").asString()).isEqualTo("json_schema");
    assertThat(format.at("/json_schema/name").asString()).isEqualTo("City");
    assertThat(format.at("/json_schema/strict").asBoolean()).isTrue();
    assertThat(format.at("/json_schema/schema/properties/population/type").asString())
        .isEqualTo("integer");
    assertThat(format.at("/json_schema/schema/additionalProperties").asBoolean(true)).isFalse();

    assertThat(out.get("image_answer").asString()).isEqualTo("A tiny PNG.");
    assertThat(out.get("streamed_is_city").asBoolean()).isTrue();
    assertThat(out.at("/streamed_parsed/name").asString()).isEqualTo("Paris");
    assertThat(v1.upstreamGot(1).at("/response_format/json_schema/strict").asBoolean()).isTrue();

    JsonNode parts = v1.upstreamGot(2).at("/messages/0/content");
    assertThat(parts.at("/0/type").asString()).isEqualTo("text");
    assertThat(parts.at("/1/type").asString()).isEqualTo("image_url");
    assertThat(parts.at("/1/image_url/url").asString())
        .isEqualTo("data:image/png;base64,iVBORw0KGgo=");
    assertThat(parts.at("/1/image_url/detail").asString()).isEqualTo("low");

    assertThat(out.get("refused").toString())
        .isEqualTo(
            "{\"status\":400,\"param\":\"temperature\",\"code\":\"invalid_value\","
                + "\"type\":\"invalid_request_error\"}");
    assertThat(v1.upstream.requests).hasSize(3);
  }

  /**
   * The official OpenAI Java SDK: a hand-written tool loop (it has no runner), the assistant's
   * message sent back as the SDK builds it ({@code toParam}); streamed chunks put together by the
   * SDK's own accumulator.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void openAiJavaSdk(boolean stream) {
    v1.scriptToolExchange();
    com.openai.client.OpenAIClient openai =
        com.openai.client.okhttp.OpenAIOkHttpClient.builder()
            .baseUrl(v1.baseUrl())
            .apiKey(v1.key)
            .maxRetries(0)
            .build();
    com.openai.models.chat.completions.ChatCompletionCreateParams.Builder params =
        com.openai.models.chat.completions.ChatCompletionCreateParams.builder()
            .model(V1Engine.MODEL)
            .addUserMessage("What is the weather in Paris?")
            .addFunctionTool(
                com.openai.models.FunctionDefinition.builder()
                    .name("weather")
                    .parameters(
                        com.openai.models.FunctionParameters.builder()
                            .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                            .putAdditionalProperty(
                                "properties",
                                com.openai.core.JsonValue.from(
                                    Map.of("city", Map.of("type", "string"))))
                            .build())
                    .build());
    com.openai.models.chat.completions.ChatCompletion first = complete(openai, params, stream);
    assertThat(first.choices().getFirst().finishReason().asString()).isEqualTo("tool_calls");
    com.openai.models.chat.completions.ChatCompletionMessage called =
        first.choices().getFirst().message();
    com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall call =
        called.toolCalls().orElseThrow().getFirst().asFunction();
    assertThat(call.function().name()).isEqualTo("weather");
    assertThat(JSON.readTree(call.function().arguments()).get("city").asString())
        .isEqualTo("Paris");
    params
        .addMessage(called.toParam())
        .addMessage(
            com.openai.models.chat.completions.ChatCompletionToolMessageParam.builder()
                .toolCallId(call.id())
                .content("{\"sky\":\"sunny\",\"celsius\":21}")
                .build());

    com.openai.models.chat.completions.ChatCompletion second = complete(openai, params, stream);

    assertThat(second.choices().getFirst().message().content()).contains(ANSWER);
    assertThat(second.choices().getFirst().finishReason().asString()).isEqualTo("stop");
    v1.upstreamGotTheResult();
  }

  private static com.openai.models.chat.completions.ChatCompletion complete(
      com.openai.client.OpenAIClient openai,
      com.openai.models.chat.completions.ChatCompletionCreateParams.Builder params,
      boolean stream) {
    if (!stream) {
      return openai.chat().completions().create(params.build());
    }
    com.openai.helpers.ChatCompletionAccumulator accumulator =
        com.openai.helpers.ChatCompletionAccumulator.create();
    try (com.openai.core.http.StreamResponse<com.openai.models.chat.completions.ChatCompletionChunk>
        chunks = openai.chat().completions().createStreaming(params.build())) {
      chunks.stream().forEach(accumulator::accumulate);
    }
    return accumulator.chatCompletion();
  }

  /** LangChain4j's AI services call a {@code @Tool} method of this object. */
  static final class WeatherTools {
    final List<String> cities = Collections.synchronizedList(new ArrayList<>());

    @Tool("The weather in a city")
    String weather(String city) {
      cities.add(city);
      return "{\"city\":\"" + city + "\",\"sky\":\"sunny\",\"celsius\":21}";
    }
  }

  interface Assistant {
    String chat(String question);
  }

  interface StreamingAssistant {
    TokenStream chat(String question);
  }

  @Test
  void langChain4jAiServices() {
    v1.scriptToolExchange();
    WeatherTools tools = new WeatherTools();
    Assistant assistant =
        AiServices.builder(Assistant.class)
            .chatModel(
                OpenAiChatModel.builder()
                    .baseUrl(v1.baseUrl())
                    .apiKey(v1.key)
                    .modelName(V1Engine.MODEL)
                    .maxRetries(0)
                    .build())
            .tools(tools)
            .build();

    assertThat(assistant.chat("What is the weather in Paris?")).isEqualTo(ANSWER);
    assertThat(tools.cities).containsExactly("Paris");
    v1.upstreamGotTheResult();
  }

  @Test
  void langChain4jAiServicesStreaming() throws Exception {
    v1.scriptToolExchange();
    WeatherTools tools = new WeatherTools();
    StreamingAssistant assistant =
        AiServices.builder(StreamingAssistant.class)
            .streamingChatModel(
                OpenAiStreamingChatModel.builder()
                    .baseUrl(v1.baseUrl())
                    .apiKey(v1.key)
                    .modelName(V1Engine.MODEL)
                    .build())
            .tools(tools)
            .build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    StringBuilder streamed = new StringBuilder();
    assistant
        .chat("What is the weather in Paris?")
        .onPartialResponse(streamed::append)
        .onCompleteResponse(done::complete)
        .onError(done::completeExceptionally)
        .start();

    ChatResponse response = done.get(60, TimeUnit.SECONDS);
    assertThat(response.aiMessage().text()).isEqualTo(ANSWER);
    assertThat(streamed.toString()).isEqualTo(ANSWER);
    assertThat(tools.cities).containsExactly("Paris");
    v1.upstreamGotTheResult();
  }
}
