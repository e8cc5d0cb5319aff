package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The typed request and answer: values are checked once, whatever API they came through; an
 * answer's pieces come together whole; the router refuses (or, opted in, drops) what a candidate
 * cannot honour and never falls back to one that cannot.
 */
class TypedRequestTests {

  private static final ToolSpec WEATHER =
      new ToolSpec(
          "get_weather",
          "Weather in a city",
          JsonMapper.shared()
              .readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"),
          false);

  private static LlmRequest request(List<ToolSpec> tools, RequestOptions options) {
    return new LlmRequest(
        LlmRouter.AUTO, List.of(new ChatMessage(Role.USER, "hi")), tools, ToolChoice.AUTO, options);
  }

  @Test
  void outOfRangeValuesAreRefusedNamingTheField() {
    record Case(Consumer<RequestOptions.Builder> set, String param) {}
    List<Case> cases =
        List.of(
            new Case(b -> b.temperature(5.0), "temperature"),
            new Case(b -> b.temperature(-0.1), "temperature"),
            new Case(b -> b.temperature(Double.NaN), "temperature"),
            new Case(b -> b.topP(1.5), "top_p"),
            new Case(b -> b.maxOutputTokens(-5), "max_completion_tokens"),
            new Case(b -> b.maxOutputTokens(0), "max_completion_tokens"),
            new Case(b -> b.presencePenalty(3.0), "presence_penalty"),
            new Case(b -> b.frequencyPenalty(-2.5), "frequency_penalty"),
            new Case(b -> b.n(0), "n"),
            new Case(b -> b.stop(List.of("a", "b", "c", "d", "e")), "stop"),
            new Case(b -> b.stop(List.of("")), "stop"),
            new Case(b -> b.logitBias(Map.of("50256", 101)), "logit_bias"),
            new Case(b -> b.logitBias(Map.of("word", 1)), "logit_bias"),
            new Case(b -> b.topLogprobs(3), "top_logprobs"),
            new Case(b -> b.logprobs(true).topLogprobs(21), "top_logprobs"),
            new Case(b -> b.thinkingBudget(100), "reasoning_effort"),
            new Case(b -> b.topK(0), "top_k"));
    for (Case c : cases) {
      RequestOptions.Builder builder = RequestOptions.builder();
      c.set().accept(builder);
      assertThatThrownBy(builder::build)
          .as(c.param())
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo(c.param()));
    }
  }

  @Test
  void featuresAreWhatTheRequestUsesAndDroppingRemovesThem() {
    RequestOptions options =
        RequestOptions.builder()
            .temperature(0.2)
            .seed(7L)
            .n(1)
            .stop(List.of("END"))
            .responseFormat(ResponseFormat.JSON_OBJECT)
            .build();
    LlmRequest request =
        new LlmRequest(
            "m",
            List.of(
                new ChatMessage(
                    Role.USER,
                    List.of(
                        new ContentPart.Text("what is this?"),
                        new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", "low")),
                    List.of(),
                    null)),
            List.of(WEATHER),
            ToolChoice.REQUIRED,
            options);

    assertThat(request.features())
        .containsExactlyInAnyOrder(
            Feature.TOOLS,
            Feature.TOOL_CHOICE,
            Feature.IMAGES,
            Feature.TEMPERATURE,
            Feature.SEED,
            Feature.STOP,
            Feature.JSON_OBJECT);
    LlmRequest dropped = request.without(EnumSet.of(Feature.IMAGES, Feature.SEED, Feature.TOOLS));
    assertThat(dropped.features())
        .containsExactlyInAnyOrder(Feature.TEMPERATURE, Feature.STOP, Feature.JSON_OBJECT);
    assertThat(dropped.messages().getFirst().text()).isEqualTo("what is this?");
    assertThat(new LlmRequest("m", List.of(new ChatMessage(Role.USER, "hi"))).features()).isEmpty();
  }

  @Test
  void imagesAreLinksOrInlineDataAndToolsHaveSchemas() {
    ContentPart.Image inline = new ContentPart.Image("data:image/jpeg;base64,/9j/4AAQ", null);
    assertThat(inline.mediaType()).isEqualTo("image/jpeg");
    assertThat(inline.base64()).isEqualTo("/9j/4AAQ");
    assertThat(new ContentPart.Image("https://example.com/a.png", "high").inline()).isFalse();
    assertThatThrownBy(() -> new ContentPart.Image("file:///etc/passwd", null))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new ContentPart.Image("https://x/a.png", "ultra"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                new ToolSpec(
                    "has space",
                    null,
                    JsonMapper.shared().readTree("{\"type\":\"object\"}"),
                    false))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new ToolSpec("f", null, JsonMapper.shared().readTree("[1]"), false))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void interleavedParallelToolCallsComeOutWholeAndInOrder() {
    AnswerBuffer answer = new AnswerBuffer();
    answer.reasoning("thinking…");
    answer.toolCall(new ToolCallDelta(0, "call_a", "get_weather", ""));
    answer.toolCall(new ToolCallDelta(1, "call_b", "get_weather", "{\"ci"));
    answer.toolCall(new ToolCallDelta(0, null, null, "{\"city\":"));
    answer.toolCall(new ToolCallDelta(1, null, null, "ty\":\"Oslo\"}"));
    answer.toolCall(new ToolCallDelta(0, null, null, "\"Paris\"}"));
    answer.toolCall(new ToolCallDelta(2, null, "broken", "{not json"));

    assertThat(answer.toolCalls())
        .containsExactly(
            new ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"),
            new ToolCall("call_b", "get_weather", "{\"city\":\"Oslo\"}"),
            new ToolCall("call_2", "broken", "{not json"));
    assertThat(answer.reasoningText()).isEqualTo("thinking…");
    assertThat(answer.isEmpty()).isFalse();
  }

  @Test
  void cachedInputIsBilledAtTheCachedRate() {
    ModelPrice price =
        new ModelPrice(
            "openai",
            "gpt-4o",
            new BigDecimal("250"),
            new BigDecimal("125"),
            new BigDecimal("1000"),
            LocalDate.of(2024, 10, 1),
            128000);
    // 1,000,000 prompt tokens of which 400,000 cached; 100,000 output.
    Usage usage = new Usage(1_000_000, 100_000, false, 400_000, 20_000);
    assertThat(price.costCents(usage)).isEqualByComparingTo("300");
    assertThat(price.costCents(new Usage(1_000_000, 100_000, false))).isEqualByComparingTo("350");
  }

  @Test
  void theCatalogReadsCapabilitiesAndOlderRowsWithout() throws Exception {
    String csv =
        "provider,model,effective_from,input,cached,output,context,tools,vision,json_schema,reasoning,max_output\n"
            + "x,a,2026-01-01,1,,2,1000,yes,no,,yes,4096\n"
            + "x,b,2026-01-01,1,,2,1000\n";
    List<ModelPrice> rows =
        PriceTable.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "test");
    assertThat(rows.get(0).capabilities())
        .isEqualTo(new ModelCapabilities(true, false, null, true, 4096));
    assertThat(rows.get(1).capabilities()).isEqualTo(ModelCapabilities.UNKNOWN);
    assertThat(PriceTable.load(null).priceOn("openai", "gpt-4o", LocalDate.of(2026, 1, 1)))
        .hasValueSatisfying(row -> assertThat(row.capabilities().tools()).isTrue());
  }

  /** A provider that honours the given features and answers "ok", recording what it was sent. */
  static final class Honouring implements LlmProvider {
    final String name;
    final Set<Feature> honoured;
    final List<LlmRequest> received = new ArrayList<>();

    Honouring(String name, Set<Feature> honoured) {
      this.name = name;
      this.honoured = honoured;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<String> models() {
      return List.of("m");
    }

    @Override
    public Set<Feature> supports(String model) {
      return honoured;
    }

    @Override
    public LlmOutcome stream(LlmRequest request, DeltaSink sink, CancelSignal cancel) {
      received.add(request);
      sink.accept("ok");
      return new LlmOutcome.Completed(FinishReason.STOP, new Usage(1, 1, false));
    }
  }

  private static LlmRouter router(
      boolean dropUnsupported, List<ModelPrice> prices, LlmProvider... providers) {
    ProviderSettings base = Routers.settings(List.of(), "priority", Duration.ofSeconds(5));
    ProviderSettings settings =
        new ProviderSettings(
            null,
            null,
            null,
            null,
            null,
            null,
            "http://a",
            10,
            null,
            null,
            "http://m",
            null,
            base.route(),
            "priority",
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            null,
            dropUnsupported);
    return Routers.router(
        Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC),
        settings,
        prices,
        providers);
  }

  private static Completion run(LlmRouter router, LlmRequest request) {
    return router.complete(request, DeltaSink.textOnly(text -> {}), new CancelSignal());
  }

  @Test
  void aRequestGoesOnlyToACandidateThatHonoursIt() {
    Honouring plain = new Honouring("plain", Set.of());
    Honouring tools = new Honouring("tools", EnumSet.of(Feature.TOOLS, Feature.TEMPERATURE));
    LlmRouter router = router(false, Routers.flatPrices(plain, tools), plain, tools);

    Completion completion =
        run(router, request(List.of(WEATHER), RequestOptions.builder().temperature(0.5).build()));

    assertThat(completion.provider()).isEqualTo("tools");
    assertThat(plain.received).isEmpty();
    assertThat(tools.received.getFirst().tools()).containsExactly(WEATHER);
    assertThat(run(router, request(List.of(), RequestOptions.DEFAULTS)).provider())
        .isEqualTo("plain");
  }

  @Test
  void whatNoCandidateHonoursIsRefusedNamingTheFieldAndTheModel() {
    Honouring plain = new Honouring("plain", EnumSet.of(Feature.TEMPERATURE));
    LlmRouter router = router(false, Routers.flatPrices(plain), plain);

    assertThatThrownBy(
            () -> run(router, request(List.of(), RequestOptions.builder().seed(1L).build())))
        .isInstanceOfSatisfying(
            UnsupportedFeatureException.class,
            e -> {
              assertThat(e.feature()).isEqualTo(Feature.SEED);
              assertThat(e.model()).isEqualTo("plain/m");
              assertThat(e.getMessage()).contains("seed").contains("plain/m");
            });
    assertThat(plain.received).isEmpty();
  }

  @Test
  void droppingWhenOptedIntoByTheRequestOrTheOperator() {
    Honouring plain = new Honouring("plain", EnumSet.of(Feature.TEMPERATURE));
    RequestOptions seeded = RequestOptions.builder().seed(1L).temperature(0.3).build();

    LlmRouter strict = router(false, Routers.flatPrices(plain), plain);
    run(strict, request(List.of(), seeded.toBuilder().dropUnsupported(true).build()));
    LlmRouter lenient = router(true, Routers.flatPrices(plain), plain);
    run(lenient, request(List.of(), seeded));

    assertThat(plain.received).hasSize(2);
    for (LlmRequest sent : plain.received) {
      assertThat(sent.options().seed()).isNull();
      assertThat(sent.options().temperature()).isEqualTo(0.3);
    }
  }

  @Test
  void theCatalogOverridesAnAdapterThatClaimsTooMuch() {
    Honouring claims = new Honouring("claims", EnumSet.allOf(Feature.class));
    ModelPrice noTools =
        new ModelPrice(
            "claims",
            "m",
            BigDecimal.ONE,
            null,
            BigDecimal.ONE,
            LocalDate.of(2026, 1, 1),
            1000,
            new ModelCapabilities(false, null, null, null, 100));
    LlmRouter router = router(false, List.of(noTools), claims);

    assertThatThrownBy(() -> run(router, request(List.of(WEATHER), RequestOptions.DEFAULTS)))
        .isInstanceOfSatisfying(
            UnsupportedFeatureException.class,
            e -> assertThat(e.feature()).isEqualTo(Feature.TOOLS));
    assertThatThrownBy(
            () ->
                run(
                    router,
                    request(List.of(), RequestOptions.builder().maxOutputTokens(101).build())))
        .isInstanceOfSatisfying(
            UnsupportedFeatureException.class,
            e -> assertThat(e.feature()).isEqualTo(Feature.MAX_OUTPUT_TOKENS));
    assertThat(
            run(router, request(List.of(), RequestOptions.builder().maxOutputTokens(100).build()))
                .text())
        .isEqualTo("ok");
  }

  @Test
  void reasoningIsTheFirstTokenAndToolCallsReachTheCompletion() {
    LlmProvider thinker =
        new LlmProvider() {
          @Override
          public String name() {
            return "thinker";
          }

          @Override
          public List<String> models() {
            return List.of("m");
          }

          @Override
          public LlmOutcome stream(LlmRequest request, DeltaSink sink, CancelSignal cancel) {
            sink.reasoning("Let me think.");
            // Longer than the first-token timeout: the reasoning already counted as the start.
            if (cancel.await(Duration.ofMillis(600))) {
              return new LlmOutcome.Cancelled(Usage.UNKNOWN);
            }
            sink.toolCall(new ToolCallDelta(0, "call_1", "get_weather", "{\"city\":"));
            sink.toolCall(new ToolCallDelta(0, null, null, "\"Oslo\"}"));
            return new LlmOutcome.Completed(FinishReason.TOOL_CALLS, Usage.UNKNOWN);
          }
        };
    ProviderSettings settings = Routers.settings(List.of(), "priority", Duration.ofMillis(300));
    LlmRouter router =
        Routers.router(Clock.systemUTC(), settings, Routers.flatPrices(thinker), thinker);

    Completion completion =
        run(router, new LlmRequest(LlmRouter.AUTO, List.of(new ChatMessage(Role.USER, "hi"))));

    assertThat(completion.outcome())
        .isEqualTo(new LlmOutcome.Completed(FinishReason.TOOL_CALLS, completion.outcome().usage()));
    assertThat(completion.reasoning()).isEqualTo("Let me think.");
    assertThat(completion.toolCalls())
        .containsExactly(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"));
    assertThat(completion.usage().estimated()).isTrue();
    assertThat(completion.usage().completionTokens()).isPositive();
  }
}
