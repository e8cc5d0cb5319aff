package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.anthropic.AnthropicProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the Anthropic adapter sends for each field of the typed request, as the upstream got it. */
class AnthropicRequestTests {

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final ToolSpec WEATHER =
      new ToolSpec(
          "weather",
          "The weather in a city",
          JSON.readTree(
              "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                  + "\"required\":[\"city\"]}"),
          false);

  private final FakeUpstream upstream = new FakeUpstream();
  private final AnthropicProvider provider =
      new AnthropicProvider(
          "anthropic", upstream.url(""), "k", List.of("m"), 1000, Duration.ofSeconds(5));

  @AfterEach
  void stop() {
    upstream.close();
  }

  private JsonNode sent(LlmRequest request) {
    upstream.enqueue(
        FakeUpstream.sse(
            AnthropicWire.message(1, 0, "end_turn", 1, AnthropicWire.textBlock(0, "ok"))));
    LlmOutcome outcome = provider.stream(request, new AnswerBuffer(), new CancelSignal());
    assertThat(outcome).isInstanceOf(LlmOutcome.Completed.class);
    return JSON.readTree(upstream.requests.poll());
  }

  private static LlmRequest request(
      List<ChatMessage> messages, ToolChoice choice, RequestOptions options) {
    return new LlmRequest("m", messages, List.of(WEATHER), choice, options);
  }

  @Test
  void everyFieldIsMappedToTheMessagesApi() {
    List<ChatMessage> messages =
        List.of(
            new ChatMessage(Role.SYSTEM, "be brief"),
            new ChatMessage(
                Role.USER,
                List.of(
                    new ContentPart.Text("what is in these, and the weather?"),
                    new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", null),
                    new ContentPart.Image("https://example.com/cat.jpg", "auto")),
                List.of(),
                null),
            ChatMessage.assistant(
                "checking",
                List.of(
                    new ToolCall("toolu_1", "weather", "{\"city\":\"Paris\"}"),
                    new ToolCall("toolu_2", "weather", "{\"city\": \"Oslo\"}"))),
            ChatMessage.toolResult("toolu_1", "sunny"),
            ChatMessage.toolResult("toolu_2", "snow"),
            new ChatMessage(Role.SYSTEM, "in English"));
    RequestOptions options =
        RequestOptions.builder()
            .temperature(0.5)
            .topP(0.9)
            .topK(40)
            .maxOutputTokens(300)
            .stop(List.of("END", "STOP"))
            .user("user-7")
            .parallelToolCalls(false)
            .build();

    JsonNode body = sent(request(messages, ToolChoice.function("weather"), options));

    assertThat(body)
        .isEqualTo(
            JSON.readTree(
                """
                {"model":"m","max_tokens":300,"stream":true,
                 "system":"be brief\\n\\nin English",
                 "messages":[
                   {"role":"user","content":[
                     {"type":"text","text":"what is in these, and the weather?"},
                     {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                     {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]},
                   {"role":"assistant","content":[
                     {"type":"text","text":"checking"},
                     {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}},
                     {"type":"tool_use","id":"toolu_2","name":"weather","input":{"city":"Oslo"}}]},
                   {"role":"user","content":[
                     {"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"},
                     {"type":"tool_result","tool_use_id":"toolu_2","content":"snow"}]}],
                 "tools":[{"name":"weather","description":"The weather in a city",
                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
                 "tool_choice":{"type":"tool","name":"weather","disable_parallel_tool_use":true},
                 "temperature":0.5,"top_p":0.9,"top_k":40,
                 "stop_sequences":["END","STOP"],
                 "metadata":{"user_id":"user-7"}}
                """));
  }

  @Test
  void aToolResultAndTheUserTextAfterItAreOneUserMessage() {
    JsonNode body =
        sent(
            request(
                List.of(
                    new ChatMessage(Role.USER, "weather?"),
                    ChatMessage.assistant("", List.of(new ToolCall("t1", "weather", ""))),
                    ChatMessage.toolResult("t1", "sunny"),
                    new ChatMessage(Role.USER, "and tomorrow?")),
                ToolChoice.AUTO,
                RequestOptions.DEFAULTS));

    assertThat(body.path("messages"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"role":"user","content":"weather?"},
                 {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"weather","input":{}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"sunny"},
                                           {"type":"text","text":"and tomorrow?"}]}]
                """));
    assertThat(body.has("tool_choice")).isFalse();
    assertThat(body.path("max_tokens").intValue()).isEqualTo(1000);
  }

  @Test
  void eachToolChoice() {
    List<ChatMessage> hi = List.of(new ChatMessage(Role.USER, "hi"));
    assertThat(sent(request(hi, ToolChoice.REQUIRED, RequestOptions.DEFAULTS)).path("tool_choice"))
        .isEqualTo(JSON.readTree("{\"type\":\"any\"}"));
    assertThat(sent(request(hi, ToolChoice.NONE, RequestOptions.DEFAULTS)).path("tool_choice"))
        .isEqualTo(JSON.readTree("{\"type\":\"none\"}"));
    RequestOptions serial = RequestOptions.builder().parallelToolCalls(false).build();
    assertThat(sent(request(hi, ToolChoice.AUTO, serial)).path("tool_choice"))
        .isEqualTo(JSON.readTree("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
    RequestOptions parallel = RequestOptions.builder().parallelToolCalls(true).build();
    assertThat(sent(request(hi, ToolChoice.AUTO, parallel)).has("tool_choice")).isFalse();
  }

  @Test
  void thinkingFromABudgetOrAnEffortWithMaxTokensAboveIt() {
    List<ChatMessage> hi = List.of(new ChatMessage(Role.USER, "hi"));
    JsonNode budget =
        sent(request(hi, ToolChoice.AUTO, RequestOptions.builder().thinkingBudget(4000).build()));
    assertThat(budget.path("thinking"))
        .isEqualTo(JSON.readTree("{\"type\":\"enabled\",\"budget_tokens\":4000}"));
    assertThat(budget.path("max_tokens").intValue()).isEqualTo(5000);

    RequestOptions.ReasoningEffort[] efforts = {
      RequestOptions.ReasoningEffort.MINIMAL,
      RequestOptions.ReasoningEffort.LOW,
      RequestOptions.ReasoningEffort.MEDIUM,
      RequestOptions.ReasoningEffort.HIGH
    };
    int[] budgets = {1024, 2048, 8192, 24576};
    for (int i = 0; i < efforts.length; i++) {
      JsonNode body =
          sent(
              request(
                  hi,
                  ToolChoice.AUTO,
                  RequestOptions.builder().reasoningEffort(efforts[i]).build()));
      assertThat(body.path("thinking").path("budget_tokens").intValue()).isEqualTo(budgets[i]);
      assertThat(body.path("max_tokens").intValue()).isEqualTo(budgets[i] + 1000);
    }

    JsonNode capped =
        sent(
            request(
                hi,
                ToolChoice.AUTO,
                RequestOptions.builder()
                    .reasoningEffort(RequestOptions.ReasoningEffort.HIGH)
                    .maxOutputTokens(5000)
                    .build()));
    assertThat(capped.path("thinking").path("budget_tokens").intValue()).isEqualTo(4999);
    assertThat(capped.path("max_tokens").intValue()).isEqualTo(5000);

    JsonNode off =
        sent(
            request(
                hi,
                ToolChoice.AUTO,
                RequestOptions.builder()
                    .reasoningEffort(RequestOptions.ReasoningEffort.NONE)
                    .build()));
    assertThat(off.path("thinking")).isEqualTo(JSON.readTree("{\"type\":\"disabled\"}"));
  }

  @Test
  void supportsExactlyWhatItMaps() {
    assertThat(provider.supports("m"))
        .containsExactlyInAnyOrder(
            Feature.TOOLS,
            Feature.TOOL_CHOICE,
            Feature.PARALLEL_TOOL_CALLS,
            Feature.IMAGES,
            Feature.TEMPERATURE,
            Feature.TOP_P,
            Feature.TOP_K,
            Feature.MAX_OUTPUT_TOKENS,
            Feature.STOP,
            Feature.USER,
            Feature.REASONING,
            Feature.JSON_OBJECT,
            Feature.JSON_SCHEMA);
  }

  @Test
  void valuesTheApiRefusesAreNotHonoured() {
    List<ChatMessage> hi = List.of(new ChatMessage(Role.USER, "hi"));
    assertThat(
            provider.cannotHonour(
                request(hi, ToolChoice.AUTO, RequestOptions.builder().temperature(1.5).build())))
        .containsExactly(Feature.TEMPERATURE);
    assertThat(
            provider.cannotHonour(
                request(hi, ToolChoice.AUTO, RequestOptions.builder().temperature(1.0).build())))
        .isEmpty();
    RequestOptions thinking =
        RequestOptions.builder().thinkingBudget(2000).temperature(0.2).topK(5).topP(0.5).build();
    RequestOptions defaultTemperature =
        RequestOptions.builder().thinkingBudget(2000).temperature(1.0).topP(0.95).build();
    assertThat(provider.cannotHonour(request(hi, ToolChoice.AUTO, defaultTemperature))).isEmpty();
    assertThat(provider.cannotHonour(request(hi, ToolChoice.REQUIRED, thinking)))
        .containsExactlyInAnyOrder(
            Feature.TEMPERATURE, Feature.TOP_K, Feature.TOP_P, Feature.TOOL_CHOICE);
    assertThat(
            provider.cannotHonour(
                request(
                    hi,
                    ToolChoice.AUTO,
                    RequestOptions.builder()
                        .reasoningEffort(RequestOptions.ReasoningEffort.LOW)
                        .maxOutputTokens(1000)
                        .build())))
        .containsExactly(Feature.REASONING);
    ChatMessage detailed =
        new ChatMessage(
            Role.USER,
            List.of(new ContentPart.Image("https://e.com/a.png", "high")),
            List.of(),
            null);
    ChatMessage tiff =
        new ChatMessage(
            Role.USER,
            List.of(new ContentPart.Image("data:image/tiff;base64,AAAA", null)),
            List.of(),
            null);
    assertThat(
            provider.cannotHonour(
                request(List.of(detailed), ToolChoice.AUTO, RequestOptions.DEFAULTS)))
        .containsExactly(Feature.IMAGES);
    assertThat(
            provider.cannotHonour(request(List.of(tiff), ToolChoice.AUTO, RequestOptions.DEFAULTS)))
        .containsExactly(Feature.IMAGES);
    LlmRequest strict =
        new LlmRequest(
            "m",
            hi,
            List.of(new ToolSpec("weather", null, WEATHER.parameters(), true)),
            ToolChoice.AUTO,
            RequestOptions.DEFAULTS);
    assertThat(provider.cannotHonour(strict)).containsExactly(Feature.TOOLS);
  }

  @Test
  void theRouterRefusesATemperatureAboveOneAndAStoredCallThatIsNotJson() {
    LlmRouter router =
        Routers.router(
            Clock.systemUTC(),
            Routers.settings(List.of(), "priority", Duration.ofSeconds(5)),
            Routers.flatPrices(provider),
            provider);
    List<ChatMessage> hi = List.of(new ChatMessage(Role.USER, "hi"));

    assertThatThrownBy(
            () ->
                router.complete(
                    request(hi, ToolChoice.AUTO, RequestOptions.builder().temperature(1.5).build()),
                    new AnswerBuffer(),
                    new CancelSignal()))
        .isInstanceOfSatisfying(
            UnsupportedFeatureException.class,
            e -> assertThat(e.feature()).isEqualTo(Feature.TEMPERATURE));
    List<ChatMessage> broken =
        List.of(
            new ChatMessage(Role.USER, "hi"),
            ChatMessage.assistant("", List.of(new ToolCall("t1", "weather", "{\"city\":"))),
            ChatMessage.toolResult("t1", "?"));
    assertThatThrownBy(
            () ->
                router.complete(
                    request(broken, ToolChoice.AUTO, RequestOptions.DEFAULTS),
                    new AnswerBuffer(),
                    new CancelSignal()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.feature()).isEqualTo(Feature.TOOLS);
              assertThat(e.getMessage()).contains("t1");
            });
    assertThat(upstream.requests).isEmpty();
  }
}
