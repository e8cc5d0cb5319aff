package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.openai.Dialect;
import dev.grizz.engine.llm.openai.OpenAiCompatibleProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What each dialect of the OpenAI-compatible adapter claims, and that the router never sends it a
 * request using anything else: several choices, log probabilities and top-k above all, which no
 * dialect can relay yet.
 */
class OpenAiDialectTests {

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
          List.of("m"),
          true,
          Duration.ofSeconds(5),
          true);
  private final LlmRequest request = new LlmRequest("m", List.of(new ChatMessage(Role.USER, "hi")));

  @AfterEach
  void stop() {
    upstream.close();
  }

  @Test
  void eachDialectClaimsWhatItMapsAndNoneClaimsSeveralChoicesLogprobsOrTopK() {
    EnumSet<Feature> common =
        EnumSet.of(
            Feature.TOOLS,
            Feature.TOOL_CHOICE,
            Feature.IMAGES,
            Feature.TEMPERATURE,
            Feature.TOP_P,
            Feature.MAX_OUTPUT_TOKENS,
            Feature.STOP,
            Feature.SEED,
            Feature.PRESENCE_PENALTY,
            Feature.FREQUENCY_PENALTY,
            Feature.JSON_OBJECT,
            Feature.JSON_SCHEMA);
    EnumSet<Feature> openAi = EnumSet.copyOf(common);
    openAi.addAll(
        EnumSet.of(
            Feature.PARALLEL_TOOL_CALLS, Feature.LOGIT_BIAS, Feature.USER, Feature.REASONING));
    EnumSet<Feature> mistralAi = EnumSet.copyOf(common);
    mistralAi.addAll(EnumSet.of(Feature.PARALLEL_TOOL_CALLS, Feature.REASONING));

    assertThat(openai.supports("m")).containsExactlyInAnyOrderElementsOf(openAi);
    assertThat(mistral.supports("m")).containsExactlyInAnyOrderElementsOf(mistralAi);
    assertThat(local.supports("llama3")).containsExactlyInAnyOrderElementsOf(common);
    for (LlmProvider provider : List.of(openai, mistral, local)) {
      assertThat(provider.supports("m")).doesNotContain(Feature.N, Feature.LOGPROBS, Feature.TOP_K);
    }
  }

  @Test
  void severalChoicesLogprobsOrFieldsADialectLacksAreRefusedBeforeTheUpstream() {
    record Case(LlmProvider provider, RequestOptions options, Feature refused) {}
    List<Case> cases =
        List.of(
            new Case(openai, RequestOptions.builder().n(2).build(), Feature.N),
            new Case(openai, RequestOptions.builder().logprobs(true).build(), Feature.LOGPROBS),
            new Case(
                openai,
                RequestOptions.builder().logprobs(true).topLogprobs(3).build(),
                Feature.LOGPROBS),
            new Case(openai, RequestOptions.builder().topK(40).build(), Feature.TOP_K),
            new Case(mistral, RequestOptions.builder().n(2).build(), Feature.N),
            new Case(
                mistral,
                RequestOptions.builder().logitBias(Map.of("1", 5)).build(),
                Feature.LOGIT_BIAS),
            new Case(mistral, RequestOptions.builder().user("u").build(), Feature.USER),
            new Case(
                local, RequestOptions.builder().thinkingBudget(2048).build(), Feature.REASONING),
            new Case(
                local,
                RequestOptions.builder().parallelToolCalls(true).build(),
                Feature.PARALLEL_TOOL_CALLS));
    LlmRouter router =
        Routers.router(
            Clock.systemUTC(),
            Routers.settings(List.of(), "priority", Duration.ofSeconds(5)),
            Routers.flatPrices(openai, mistral, local),
            openai,
            mistral,
            local);
    for (Case c : cases) {
      LlmRequest asked =
          new LlmRequest(
              c.provider().name() + "/m",
              request.messages(),
              List.of(),
              ToolChoice.AUTO,
              c.options());
      assertThatThrownBy(
              () -> router.complete(asked, DeltaSink.textOnly(text -> {}), new CancelSignal()))
          .as(c.provider().name() + " " + c.refused())
          .isInstanceOfSatisfying(
              UnsupportedFeatureException.class,
              e -> assertThat(e.feature()).isEqualTo(c.refused()));
    }
    assertThat(upstream.requests).isEmpty();
  }
}
