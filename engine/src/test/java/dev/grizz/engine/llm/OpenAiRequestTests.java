package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.openai.Dialect;
import dev.grizz.engine.llm.openai.OpenAiCompatibleProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the OpenAI-compatible adapter sends, field by field, as the fake upstream received it, in
 * each dialect: OpenAI, Mistral and a self-hosted (compatible) server.
 */
class OpenAiRequestTests {

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final JsonNode CITY =
      JSON.readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");

  private final FakeUpstream upstream = new FakeUpstream();
  private final LlmProvider openai =
      new OpenAiCompatibleProvider(
          "openai", upstream.url("/v1"), "sk", List.of("m"), true, Duration.ofSeconds(5), false);
  private final LlmProvider mistral =
      new OpenAiCompatibleProvider(
          "mistral",
          upstream.url("/v1"),
          () -> "key",
          List.of("m"),
          false,
          Duration.ofSeconds(5),
          false,
          Dialect.MISTRAL);
  private final LlmProvider local =
      new OpenAiCompatibleProvider(
          "local",
          upstream.url("/v1"),
          (String) null,
          List.of(),
          true,
          Duration.ofSeconds(5),
          true);

  @AfterEach
  void stop() {
    upstream.close();
  }

  /** The body {@code provider} sent for {@code request}. */
  private ObjectNode sent(LlmProvider provider, LlmRequest request) {
    upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("ok"), 1, 1)));
    LlmOutcome outcome =
        provider.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal());
    assertThat(outcome).isInstanceOf(LlmOutcome.Completed.class);
    List<String> bodies = new ArrayList<>(upstream.requests);
    return (ObjectNode) JSON.readTree(bodies.getLast());
  }

  private ObjectNode sent(LlmProvider provider, RequestOptions options) {
    return sent(provider, request(List.of(), ToolChoice.AUTO, options));
  }

  private static LlmRequest request(
      List<ToolSpec> tools, ToolChoice choice, RequestOptions options) {
    return new LlmRequest("m", List.of(new ChatMessage(Role.USER, "hi")), tools, choice, options);
  }

  /** The body without what every request has: model, messages, stream and stream options. */
  private static ObjectNode optionsOf(ObjectNode body) {
    ObjectNode rest = body.deepCopy();
    rest.remove(List.of("model", "messages", "stream", "stream_options"));
    return rest;
  }

  @Test
  void contentIsAStringForOneTextPartElsePartsAndToolCallsAndResultsCarryTheirIds() {
    LlmRequest conversation =
        new LlmRequest(
            "m",
            List.of(
                new ChatMessage(Role.SYSTEM, "be brief"),
                new ChatMessage(
                    Role.USER,
                    List.of(
                        new ContentPart.Text("what is this?"),
                        new ContentPart.Image("https://example.com/a.png", "low"),
                        new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", null)),
                    List.of(),
                    null),
                ChatMessage.assistant(
                    "",
                    List.of(
                        new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                        new ToolCall("call_2", "get_weather", "{\"city\":\"Oslo\"}"))),
                ChatMessage.toolResult("call_1", "12°C"),
                ChatMessage.toolResult("call_2", "3°C"),
                ChatMessage.assistant("Let me check.", List.of(new ToolCall("call_3", "f", "{}"))),
                ChatMessage.toolResult("call_3", "done")),
            List.of(),
            ToolChoice.AUTO,
            RequestOptions.DEFAULTS);
    JsonNode expected =
        JSON.readTree(
            """
            [{"role":"system","content":"be brief"},
             {"role":"user","content":[
                {"type":"text","text":"what is this?"},
                {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}},
                {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
             {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function",
                 "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                {"id":"call_2","type":"function",
                 "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
             {"role":"tool","content":"12°C","tool_call_id":"call_1"},
             {"role":"tool","content":"3°C","tool_call_id":"call_2"},
             {"role":"assistant","content":"Let me check.","tool_calls":[
                {"id":"call_3","type":"function","function":{"name":"f","arguments":"{}"}}]},
             {"role":"tool","content":"done","tool_call_id":"call_3"}]
            """);

    for (LlmProvider provider : List.of(openai, local)) {
      assertThat(sent(provider, conversation).get("messages"))
          .as(provider.name())
          .isEqualTo(expected);
    }
    // Mistral takes only 9-letter-or-digit ids: others are sent as ids made from them, the same
    // for a call and its result.
    JsonNode toMistral = sent(mistral, conversation).get("messages");
    String first = toMistral.at("/2/tool_calls/0/id").stringValue();
    String second = toMistral.at("/2/tool_calls/1/id").stringValue();
    assertThat(List.of(first, second)).allMatch(id -> id.matches("[a-zA-Z0-9]{9}"));
    assertThat(first).isNotEqualTo(second);
    assertThat(toMistral.at("/3/tool_call_id").stringValue()).isEqualTo(first);
    assertThat(toMistral.at("/4/tool_call_id").stringValue()).isEqualTo(second);
    ObjectNode idsAsSent = (ObjectNode) JSON.readTree(expected.toString()).get(2);
    ((ObjectNode) idsAsSent.at("/tool_calls/0")).put("id", first);
    ((ObjectNode) idsAsSent.at("/tool_calls/1")).put("id", second);
    assertThat(toMistral.get(2)).isEqualTo(idsAsSent);
    assertThat(toMistral.get(1)).isEqualTo(expected.get(1));
  }

  @Test
  void aToolCallIdMistralTakesIsSentToItUnchanged() {
    LlmRequest request =
        new LlmRequest(
            "m",
            List.of(
                new ChatMessage(Role.USER, "hi"),
                ChatMessage.assistant("", List.of(new ToolCall("D681PevKs", "f", "{}"))),
                ChatMessage.toolResult("D681PevKs", "ok")),
            List.of(),
            ToolChoice.AUTO,
            RequestOptions.DEFAULTS);

    JsonNode messages = sent(mistral, request).get("messages");

    assertThat(messages.at("/1/tool_calls/0/id").stringValue()).isEqualTo("D681PevKs");
    assertThat(messages.at("/2/tool_call_id").stringValue()).isEqualTo("D681PevKs");
  }

  @Test
  void toolsAndEachToolChoiceInEachDialect() {
    List<ToolSpec> tools =
        List.of(
            new ToolSpec("get_weather", "Weather in a city", CITY, true),
            new ToolSpec("now", null, JSON.readTree("{\"type\":\"object\"}"), false));
    JsonNode expectedTools =
        JSON.readTree(
            """
            [{"type":"function","function":{"name":"get_weather","description":"Weather in a city",
               "parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}},
             {"type":"function","function":{"name":"now","parameters":{"type":"object"}}}]
            """);
    record Case(LlmProvider provider, ToolChoice choice, String expected) {}
    List<Case> cases =
        List.of(
            new Case(openai, ToolChoice.AUTO, null),
            new Case(openai, ToolChoice.NONE, "\"none\""),
            new Case(openai, ToolChoice.REQUIRED, "\"required\""),
            new Case(local, ToolChoice.REQUIRED, "\"required\""),
            new Case(mistral, ToolChoice.REQUIRED, "\"any\""),
            new Case(mistral, ToolChoice.NONE, "\"none\""),
            new Case(
                openai,
                ToolChoice.function("now"),
                "{\"type\":\"function\",\"function\":{\"name\":\"now\"}}"),
            new Case(
                mistral,
                ToolChoice.function("now"),
                "{\"type\":\"function\",\"function\":{\"name\":\"now\"}}"));
    for (Case c : cases) {
      ObjectNode body = sent(c.provider(), request(tools, c.choice(), RequestOptions.DEFAULTS));
      String what = c.provider().name() + " " + c.choice();
      assertThat(body.get("tools")).as(what).isEqualTo(expectedTools);
      assertThat(body.get("tool_choice"))
          .as(what)
          .isEqualTo(c.expected() == null ? null : JSON.readTree(c.expected()));
    }
  }

  @Test
  void samplingLimitsAndSeedUseEachDialectsFieldNames() {
    RequestOptions options =
        RequestOptions.builder()
            .temperature(0.3)
            .topP(0.9)
            .maxOutputTokens(256)
            .stop(List.of("END", "\n\n"))
            .seed(42L)
            .presencePenalty(0.5)
            .frequencyPenalty(-0.5)
            .build();
    String common =
        "\"temperature\":0.3,\"top_p\":0.9,\"stop\":[\"END\",\"\\n\\n\"],"
            + "\"presence_penalty\":0.5,\"frequency_penalty\":-0.5,";

    assertThat(optionsOf(sent(openai, options)))
        .isEqualTo(JSON.readTree("{" + common + "\"max_completion_tokens\":256,\"seed\":42}"));
    assertThat(optionsOf(sent(mistral, options)))
        .isEqualTo(JSON.readTree("{" + common + "\"max_tokens\":256,\"random_seed\":42}"));
    assertThat(optionsOf(sent(local, options)))
        .isEqualTo(JSON.readTree("{" + common + "\"max_tokens\":256,\"seed\":42}"));
  }

  @Test
  void parallelToolCallsLogitBiasAndUserAreSentAsGiven() {
    RequestOptions options =
        RequestOptions.builder()
            .parallelToolCalls(false)
            .logitBias(Map.of("50256", -100))
            .user("user-7")
            .build();
    assertThat(optionsOf(sent(openai, options)))
        .isEqualTo(
            JSON.readTree(
                "{\"parallel_tool_calls\":false,\"logit_bias\":{\"50256\":-100},\"user\":\"user-7\"}"));
    assertThat(optionsOf(sent(mistral, RequestOptions.builder().parallelToolCalls(true).build())))
        .isEqualTo(JSON.readTree("{\"parallel_tool_calls\":true}"));
  }

  @Test
  void reasoningEffortIsSentAndAThinkingBudgetBecomesAnEffortBucket() {
    record Case(RequestOptions options, String effort) {}
    List<Case> cases =
        List.of(
            new Case(
                RequestOptions.builder()
                    .reasoningEffort(RequestOptions.ReasoningEffort.MINIMAL)
                    .build(),
                "minimal"),
            new Case(
                RequestOptions.builder()
                    .reasoningEffort(RequestOptions.ReasoningEffort.HIGH)
                    .build(),
                "high"),
            new Case(RequestOptions.builder().thinkingBudget(1024).build(), "low"),
            new Case(RequestOptions.builder().thinkingBudget(4095).build(), "low"),
            new Case(RequestOptions.builder().thinkingBudget(4096).build(), "medium"),
            new Case(RequestOptions.builder().thinkingBudget(16383).build(), "medium"),
            new Case(RequestOptions.builder().thinkingBudget(16384).build(), "high"),
            new Case(
                RequestOptions.builder()
                    .thinkingBudget(20000)
                    .reasoningEffort(RequestOptions.ReasoningEffort.LOW)
                    .build(),
                "low"));
    for (Case c : cases) {
      assertThat(optionsOf(sent(openai, c.options())))
          .as(c.options().toString())
          .isEqualTo(JSON.readTree("{\"reasoning_effort\":\"" + c.effort() + "\"}"));
    }
    assertThat(
            optionsOf(
                sent(
                    mistral,
                    RequestOptions.builder()
                        .reasoningEffort(RequestOptions.ReasoningEffort.MEDIUM)
                        .build())))
        .isEqualTo(JSON.readTree("{\"reasoning_effort\":\"medium\"}"));
  }

  @Test
  void responseFormatsJsonObjectAndJsonSchema() {
    RequestOptions object =
        RequestOptions.builder().responseFormat(ResponseFormat.JSON_OBJECT).build();
    RequestOptions schema =
        RequestOptions.builder()
            .responseFormat(ResponseFormat.jsonSchema("weather", CITY, true))
            .build();
    RequestOptions unnamed =
        RequestOptions.builder()
            .responseFormat(new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, null, CITY, false))
            .build();

    for (LlmProvider provider : List.of(openai, mistral, local)) {
      assertThat(optionsOf(sent(provider, object)))
          .as(provider.name())
          .isEqualTo(JSON.readTree("{\"response_format\":{\"type\":\"json_object\"}}"));
      assertThat(optionsOf(sent(provider, schema)))
          .as(provider.name())
          .isEqualTo(
              JSON.readTree(
                  "{\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                      + "{\"name\":\"weather\",\"schema\":"
                      + CITY
                      + ",\"strict\":true}}}"));
    }
    assertThat(sent(openai, unnamed).at("/response_format/json_schema"))
        .isEqualTo(
            JSON.readTree("{\"name\":\"response\",\"schema\":" + CITY + ",\"strict\":false}"));
  }
}
