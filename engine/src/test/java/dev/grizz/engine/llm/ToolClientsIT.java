package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.NodeClients;
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
  static final String ANSWER = "It is sunny in Paris, 21 degrees.";
  static V1Engine v1;

  @BeforeAll
  static void start() {
    v1 = new V1Engine();
  }

  @AfterAll
  static void stop() {
    v1.close();
  }

  /** Turn 1: the model calls weather(city: Paris), in pieces; turn 2: it answers in text. */
  private static void scriptToolExchange() {
    v1.upstream.requests.clear();
    v1.upstream.enqueue(
        ChatWire.toolCall("call_w1", "weather", List.of("{\"ci", "ty\":\"Par", "is\"}")),
        ChatWire.text(ANSWER));
  }

  private static Map<String, String> env(boolean stream) {
    return Map.of(
        "BASE_URL",
        v1.baseUrl(),
        "API_KEY",
        v1.key,
        "MODEL",
        V1Engine.MODEL,
        "STREAM",
        stream ? "1" : "0");
  }

  private static JsonNode lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  /** Turn 2 as the upstream received it: the assistant's call, then the tool's result. */
  private static void upstreamGotTheResult() {
    assertThat(v1.upstream.requests).hasSize(2);
    JsonNode first = JSON.readTree(v1.upstream.requests.peek());
    assertThat(first.at("/tools/0/function/name").asString()).isEqualTo("weather");
    JsonNode second = JSON.readTree(new ArrayList<>(v1.upstream.requests).get(1));
    JsonNode messages = second.get("messages");
    JsonNode call = null;
    JsonNode result = null;
    for (JsonNode message : messages) {
      if (message.path("tool_calls").isArray() && !message.path("tool_calls").isEmpty()) {
        call = message;
      }
      if (message.path("role").asString("").equals("tool")) {
        result = message;
      }
    }
    assertThat(call).as(messages.toString()).isNotNull();
    assertThat(call.at("/tool_calls/0/id").asString()).isEqualTo("call_w1");
    assertThat(call.at("/tool_calls/0/function/name").asString()).isEqualTo("weather");
    assertThat(
            JSON.readTree(call.at("/tool_calls/0/function/arguments").asString())
                .get("city")
                .asString())
        .isEqualTo("Paris");
    assertThat(result).as(messages.toString()).isNotNull();
    assertThat(result.get("tool_call_id").asString()).isEqualTo("call_w1");
    assertThat(result.get("content").toString()).contains("sunny");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void openAiNodeSdkRunTools(boolean stream) {
    scriptToolExchange();
    JsonNode out = lastLine(NodeClients.run("openai-tools.mjs", env(stream)));

    assertThat(out.get("content").asString()).isEqualTo(ANSWER);
    assertThat(out.at("/calls/0/city").asString()).isEqualTo("Paris");
    upstreamGotTheResult();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void vercelAiSdkChatProvider(boolean stream) {
    scriptToolExchange();
    JsonNode out = lastLine(NodeClients.run("ai-sdk-tools.mjs", env(stream)));

    assertThat(out.get("text").asString()).isEqualTo(ANSWER);
    assertThat(out.at("/calls/0/city").asString()).isEqualTo("Paris");
    assertThat(out.get("steps").toString()).isEqualTo("[\"tool-calls\",\"stop\"]");
    upstreamGotTheResult();
  }

  @Test
  void openAiNodeSdkParsesStructuredOutput() {
    v1.upstream.requests.clear();
    v1.upstream.enqueue(ChatWire.text("{\"name\":\"Paris\",\"population\":2100000}"));

    JsonNode out = lastLine(NodeClients.run("openai-parse.mjs", env(false)));

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
   * The official OpenAI Java SDK: a hand-written tool loop (it has no runner), the assistant's
   * message sent back as the SDK builds it ({@code toParam}); streamed chunks put together by the
   * SDK's own accumulator.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void openAiJavaSdk(boolean stream) {
    scriptToolExchange();
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
    upstreamGotTheResult();
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
    scriptToolExchange();
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
    upstreamGotTheResult();
  }

  @Test
  void langChain4jAiServicesStreaming() throws Exception {
    scriptToolExchange();
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
    upstreamGotTheResult();
  }
}
