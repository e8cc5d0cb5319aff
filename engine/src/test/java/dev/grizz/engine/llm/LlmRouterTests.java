package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LlmRouterTests {

  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final TokenCounter tokens = new TokenCounter();
  private final LlmRequest auto =
      new LlmRequest(LlmRouter.AUTO, List.of(new ChatMessage(Role.USER, "hi")));

  /** A provider that plays one scripted call after another. */
  static final class Scripted implements LlmProvider {
    final String name;
    final Deque<Supplier<List<Object>>> calls = new ArrayDeque<>();
    int called;

    Scripted(String name) {
      this.name = name;
    }

    /** Each call streams the given strings, then returns the outcome (the last element). */
    Scripted then(Object... script) {
      calls.add(() -> List.of(script));
      return this;
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
    public LlmOutcome stream(LlmRequest request, DeltaSink sink, CancelSignal cancel) {
      called++;
      List<Object> script = calls.isEmpty() ? List.of(done()) : calls.poll().get();
      for (Object step : script) {
        if (step instanceof String text) {
          sink.accept(text);
        } else if (step instanceof Duration pause) {
          if (cancel.await(pause)) {
            return new LlmOutcome.Cancelled(Usage.UNKNOWN);
          }
        } else {
          return (LlmOutcome) step;
        }
      }
      throw new IllegalStateException("script without an outcome");
    }
  }

  static LlmOutcome done() {
    return new LlmOutcome.Completed(FinishReason.STOP, new Usage(10, 5, false));
  }

  static LlmOutcome failed(String code, boolean retryable) {
    return new LlmOutcome.Failed(code, code, retryable, Usage.UNKNOWN);
  }

  private LlmRouter router(Duration firstTokenTimeout, LlmProvider... providers) {
    return router(firstTokenTimeout, List.of(), "priority", providers);
  }

  private LlmRouter router(
      Duration firstTokenTimeout, List<String> route, String strategy, LlmProvider... providers) {
    return Routers.router(
        clock,
        Routers.settings(route, strategy, firstTokenTimeout),
        Routers.flatPrices(providers),
        providers);
  }

  private Completion run(LlmRouter router, LlmRequest request) {
    return router.complete(request, DeltaSink.textOnly(text -> {}), new CancelSignal());
  }

  @Test
  void theRouteIsTheFirstModelOfEachProviderInOrder() {
    LlmRouter router = router(Duration.ofSeconds(5), new Scripted("a"), new Scripted("b"));

    assertThat(router.route()).extracting(ModelRef::label).containsExactly("a/m", "b/m");
    assertThat(router.resolveModel(null)).isEqualTo(LlmRouter.AUTO);
    assertThat(router.resolveModel("b/m")).isEqualTo("b/m");
    assertThat(router.resolveModel("m")).isEqualTo("a/m");
    assertThatThrownBy(() -> router.resolveModel("zzz")).isInstanceOf(UnknownModelException.class);
    assertThatThrownBy(() -> router.resolveModel("a/zzz"))
        .isInstanceOf(UnknownModelException.class);
  }

  @Test
  void fallsBackOnARetryableFailureBeforeTheFirstToken() {
    Scripted a = new Scripted("a").then(failed(ErrorCode.RATE_LIMITED, true));
    Scripted b = new Scripted("b").then("hello", done());

    Completion completion = run(router(Duration.ofSeconds(5), a, b), auto);

    assertThat(completion.text()).isEqualTo("hello");
    assertThat(completion.attempts()).extracting(Attempt::provider).containsExactly("a", "b");
    assertThat(completion.provider()).isEqualTo("b");
    assertThat(completion.outcome()).isInstanceOf(LlmOutcome.Completed.class);
  }

  @Test
  void doesNotFallBackOnceTextHasStreamed() {
    Scripted a = new Scripted("a").then("partial", failed(ErrorCode.UPSTREAM_UNAVAILABLE, true));
    Scripted b = new Scripted("b");

    Completion completion = run(router(Duration.ofSeconds(5), a, b), auto);

    assertThat(completion.text()).isEqualTo("partial");
    assertThat(completion.outcome()).isInstanceOf(LlmOutcome.Failed.class);
    assertThat(b.called).isZero();
  }

  @Test
  void doesNotFallBackOnAFailureAnotherProviderWouldRepeat() {
    Scripted a = new Scripted("a").then(failed(ErrorCode.CONTEXT_TOO_LONG, false));
    Scripted b = new Scripted("b");

    Completion completion = run(router(Duration.ofSeconds(5), a, b), auto);

    assertThat(completion.attempts()).hasSize(1);
    assertThat(b.called).isZero();
  }

  @Test
  void fallsBackWhenTheFirstTokenIsLate() {
    Scripted slow = new Scripted("a").then(Duration.ofSeconds(30), "too late", done());
    Scripted b = new Scripted("b").then("quick", done());

    Completion completion = run(router(Duration.ofMillis(200), slow, b), auto);

    assertThat(completion.text()).isEqualTo("quick");
    assertThat(completion.attempts().getFirst().outcome())
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            f -> assertThat(f.code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT));
  }

  @Test
  void skipsAProviderThatAskedToRetryLater() {
    Scripted a =
        new Scripted("a")
            .then(
                new LlmOutcome.Failed(
                    ErrorCode.RATE_LIMITED, "slow", true, Duration.ofMinutes(1), Usage.UNKNOWN));
    Scripted b = new Scripted("b").then("x", done()).then("y", done());
    LlmRouter router = router(Duration.ofSeconds(5), a, b);

    run(router, auto);
    Completion second = run(router, auto);

    assertThat(a.called).isEqualTo(1);
    assertThat(second.attempts()).extracting(Attempt::provider).containsExactly("b");
    assertThat(router.health().getFirst().coolingDownUntil()).isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void opensTheBreakerAfterRepeatedFailuresAndStopsCallingTheProvider() {
    Scripted a = new Scripted("a");
    for (int i = 0; i < 10; i++) {
      a.then(failed(ErrorCode.UPSTREAM_UNAVAILABLE, true));
    }
    Scripted b = new Scripted("b");
    LlmRouter router = router(Duration.ofSeconds(5), a, b);

    for (int i = 0; i < 8; i++) {
      run(router, auto);
    }

    assertThat(a.called).isEqualTo(4);
    assertThat(b.called).isEqualTo(8);
    assertThat(router.health().getFirst().breaker()).isEqualTo("open");
  }

  @Test
  void pricesEveryAttemptAndEstimatesUsageTheVendorDidNotReport() {
    Scripted a =
        new Scripted("a")
            .then(
                "four token text here", new LlmOutcome.Completed(FinishReason.STOP, Usage.UNKNOWN));

    Completion completion = run(router(Duration.ofSeconds(5), a), auto);

    Usage usage = completion.usage();
    assertThat(usage.estimated()).isTrue();
    assertThat(usage.completionTokens()).isEqualTo(tokens.count("four token text here"));
    // 100 and 200 cents per million tokens.
    BigDecimal expected =
        BigDecimal.valueOf(usage.promptTokens() * 100L + usage.completionTokens() * 200L)
            .movePointLeft(6);
    assertThat(completion.usageCents()).isEqualByComparingTo(expected);
  }

  @Test
  void theCheapestStrategyTriesTheLowestPricedCandidateFirst() {
    Scripted dear = new Scripted("dear");
    Scripted cheap = new Scripted("cheap").then("x", done());
    LlmRouter router =
        Routers.router(
            clock,
            Routers.settings(List.of(), "cheapest", Duration.ofSeconds(5)),
            List.of(Routers.price("dear", "500", "900"), Routers.price("cheap", "5", "9")),
            dear,
            cheap);

    Completion completion = run(router, auto);

    assertThat(completion.provider()).isEqualTo("cheap");
    assertThat(dear.called).isZero();
  }

  @Test
  void theCheapestStrategyWeighsThePromptSizeTheCallerCounted() {
    // "reader" reads cheaply and writes dearly, "writer" the other way round: the prompt's size
    // decides, and a caller that counted it (a built context) is taken at its word.
    Scripted reader = new Scripted("reader").then("r", done());
    Scripted writer = new Scripted("writer").then("w", done()).then("w", done());
    LlmRouter router =
        Routers.router(
            clock,
            Routers.settings(List.of(), "cheapest", Duration.ofSeconds(5)),
            List.of(Routers.price("reader", "1", "900"), Routers.price("writer", "50", "9")),
            reader,
            writer);

    assertThat(run(router, auto).provider()).isEqualTo("writer");
    assertThat(
            router
                .complete(auto, 1_000_000, DeltaSink.textOnly(text -> {}), new CancelSignal())
                .provider())
        .isEqualTo("reader");
  }

  @Test
  void aRequestMayPickAStrategyForItself() {
    Scripted dear = new Scripted("dear").then("d", done());
    Scripted cheap = new Scripted("cheap").then("c", done());
    LlmRouter router =
        Routers.router(
            clock,
            Routers.settings(List.of(), "priority", Duration.ofSeconds(5)),
            List.of(Routers.price("dear", "500", "900"), Routers.price("cheap", "5", "9")),
            dear,
            cheap);

    assertThat(run(router, auto).provider()).isEqualTo("dear");
    assertThat(run(router, new LlmRequest("auto:cheapest", auto.messages())).provider())
        .isEqualTo("cheap");
    assertThatThrownBy(() -> router.resolveModel("auto:random"))
        .isInstanceOf(UnknownModelException.class);
  }

  @Test
  void theFastestStrategyPrefersTheQuickerFirstToken() {
    Scripted slow = new Scripted("slow");
    Scripted quick = new Scripted("quick");
    for (int i = 0; i < 6; i++) {
      slow.then(Duration.ofMillis(150), "s", done());
      quick.then("q", done());
    }
    LlmRouter router =
        router(Duration.ofSeconds(5), List.of("slow/m", "quick/m"), "fastest", slow, quick);
    // Unmeasured candidates go first, so each gets measured once.
    run(router, new LlmRequest("slow/m", auto.messages()));
    run(router, new LlmRequest("quick/m", auto.messages()));

    for (int i = 0; i < 3; i++) {
      assertThat(run(router, auto).provider()).isEqualTo("quick");
    }
  }

  @Test
  void theWeightedStrategySpreadsFirstChoicesByWeight() {
    Scripted a = new Scripted("a");
    Scripted b = new Scripted("b");
    LlmRouter router = router(Duration.ofSeconds(5), List.of("a/m*3", "b/m*1"), "weighted", a, b);

    for (int i = 0; i < 400; i++) {
      run(router, auto);
    }

    assertThat(a.called + b.called).isEqualTo(400);
    assertThat(a.called).isBetween(250, 350);
  }

  @Test
  void cancellingStopsWithoutFallingBack() {
    Scripted a = new Scripted("a").then("x", Duration.ofSeconds(30), done());
    Scripted b = new Scripted("b");
    CancelSignal cancel = new CancelSignal();

    Completion completion =
        router(Duration.ofSeconds(5), a, b)
            .complete(auto, DeltaSink.textOnly(text -> cancel.cancel()), cancel);

    assertThat(completion.outcome()).isInstanceOf(LlmOutcome.Cancelled.class);
    assertThat(b.called).isZero();
  }
}
