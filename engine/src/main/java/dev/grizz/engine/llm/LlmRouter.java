package dev.grizz.engine.llm;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Picks providers for a request and runs the completion, falling back to the next candidate when an
 * attempt fails before its first token (connect error, no first token in time, 429, 5xx). After
 * text has streamed a failure ends the completion, keeping the partial text. Each provider has a
 * circuit breaker, and one that answered 429 with Retry-After is skipped until then. Every attempt
 * is timed, its usage estimated where the vendor reported none, and priced exactly.
 */
@Service
public class LlmRouter {

  /**
   * The model name that means "route by the configured strategy"; {@code auto:cheapest} (and so on)
   * picks a strategy for one request.
   */
  public static final String AUTO = "auto";

  private final Map<String, LlmProvider> providers = new LinkedHashMap<>();
  private final List<RouteOrder.Weighted> route;
  private final RouteOrder order;
  private final RouteOrder.Strategy strategy;
  private final PriceTable prices;
  private final TokenCounter tokens;
  private final Clock clock;
  private final Duration firstTokenTimeout;
  private final CircuitBreakerRegistry breakers;
  private final Map<String, Instant> coolingUntil = new ConcurrentHashMap<>();
  private final MeterRegistry meters;

  LlmRouter(
      MeterRegistry meters,
      ProvidersConfig.Providers enabled,
      PriceTable prices,
      TokenCounter tokens,
      Clock clock,
      ProviderSettings settings) {
    enabled.all().forEach(provider -> providers.put(provider.name(), provider));
    this.meters = meters;
    this.prices = prices;
    this.tokens = tokens;
    this.clock = clock;
    this.firstTokenTimeout = settings.firstTokenTimeout();
    this.breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
    this.route = defaultRoute(settings.route(), enabled);
    for (String name : providers.keySet()) {
      Gauge.builder(
              "grizz.provider.breaker.open",
              this,
              router -> router.breaker(name).getState() == CircuitBreaker.State.OPEN ? 1 : 0)
          .description("1 while the provider's circuit breaker is open")
          .tag("provider", name)
          .register(meters);
    }
    this.order = new RouteOrder(prices, clock, new java.util.Random());
    this.strategy =
        RouteOrder.Strategy.parse(settings.strategy())
            .orElseThrow(
                () ->
                    new dev.grizz.engine.config.SettingException(
                        "grizz.providers.strategy",
                        "must be priority, cheapest, fastest or weighted"));
  }

  private List<RouteOrder.Weighted> defaultRoute(
      List<String> configured, ProvidersConfig.Providers enabled) {
    if (!configured.isEmpty()) {
      List<RouteOrder.Weighted> entries = new ArrayList<>();
      for (String entry : configured) {
        int star = entry.lastIndexOf('*');
        int weight = 1;
        String label = entry;
        if (star > 0) {
          label = entry.substring(0, star);
          try {
            weight = Integer.parseInt(entry.substring(star + 1));
          } catch (NumberFormatException e) {
            weight = 0;
          }
          if (weight < 1) {
            throw new dev.grizz.engine.config.SettingException(
                "grizz.providers.route",
                "weights must be whole numbers of 1 or more, as in openai/gpt-4o*3");
          }
        }
        entries.add(new RouteOrder.Weighted(exactly(label), weight));
      }
      return List.copyOf(entries);
    }
    List<RouteOrder.Weighted> firsts = new ArrayList<>();
    for (LlmProvider provider : enabled.all()) {
      boolean demo = provider.name().equals(DemoProvider.NAME);
      if (!provider.models().isEmpty() && (!demo || !enabled.anyReal())) {
        firsts.add(
            new RouteOrder.Weighted(
                new ModelRef(provider.name(), provider.models().getFirst()), 1));
      }
    }
    return List.copyOf(firsts);
  }

  /** Names of the enabled providers, in preference order. */
  public List<String> providerNames() {
    return List.copyOf(providers.keySet());
  }

  /** The candidates a request without a model tries, in configured order. */
  public List<ModelRef> route() {
    return route.stream().map(RouteOrder.Weighted::ref).toList();
  }

  /** The configured strategy's name. */
  public String strategy() {
    return strategy.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The model label a request will use: {@value #AUTO} for the default route, else {@code
   * provider/model}.
   *
   * @throws UnknownModelException when no enabled provider serves {@code requested}
   */
  public String resolveModel(@Nullable String requested) {
    if (requested == null || requested.isBlank() || requested.equals(AUTO)) {
      return AUTO;
    }
    if (requested.startsWith(AUTO + ":")) {
      strategyOf(requested);
      return requested;
    }
    return candidates(requested, 0).getFirst().label();
  }

  private RouteOrder.Strategy strategyOf(String requested) {
    return RouteOrder.Strategy.parse(requested.substring(AUTO.length() + 1))
        .orElseThrow(() -> new UnknownModelException(requested));
  }

  private List<ModelRef> candidates(String requested, int promptTokens) {
    if (requested.equals(AUTO)) {
      return order.order(strategy, route, promptTokens);
    }
    if (requested.startsWith(AUTO + ":")) {
      return order.order(strategyOf(requested), route, promptTokens);
    }
    ModelRef qualified = ModelRef.parse(requested);
    if (qualified != null && providers.containsKey(qualified.provider())) {
      return List.of(exactly(requested));
    }
    List<ModelRef> serving = new ArrayList<>();
    for (LlmProvider provider : providers.values()) {
      if (provider.models().contains(requested)) {
        serving.add(new ModelRef(provider.name(), requested));
      }
    }
    if (serving.isEmpty()) {
      throw new UnknownModelException(requested);
    }
    return serving;
  }

  private ModelRef exactly(String label) {
    ModelRef ref = ModelRef.parse(label);
    LlmProvider provider = ref == null ? null : providers.get(ref.provider());
    if (provider == null
        || !(provider.servesAnyModel() || provider.models().contains(ref.model()))) {
      throw new UnknownModelException(label);
    }
    return ref;
  }

  /** Streams a completion; blocks until it ends, is cancelled or every candidate failed. */
  public Completion complete(LlmRequest request, DeltaSink sink, CancelSignal cancel) {
    StringBuilder text = new StringBuilder();
    List<Attempt> attempts = new ArrayList<>();
    List<ModelRef> candidates = candidates(request.model(), tokens.count(request.messages()));
    for (int i = 0; i < candidates.size(); i++) {
      ModelRef candidate = candidates.get(i);
      boolean last = i == candidates.size() - 1;
      if (!last && !available(candidate.provider())) {
        continue;
      }
      Attempt attempt = attempt(candidate, request, text, sink, cancel);
      attempts.add(attempt);
      boolean fallBack =
          attempt.outcome() instanceof LlmOutcome.Failed failed
              && failed.retryable()
              && text.isEmpty()
              && !cancel.isCancelled();
      if (!fallBack) {
        break;
      }
      meters.counter("grizz.fallbacks", "from_provider", candidate.provider()).increment();
    }
    if (attempts.isEmpty()) {
      // Every candidate is open or cooling down: try the first anyway rather than fail unasked.
      attempts.add(attempt(candidates.getFirst(), request, text, sink, cancel));
    }
    return new Completion(text.toString(), attempts);
  }

  private boolean available(String provider) {
    Instant until = coolingUntil.get(provider);
    if (until != null && clock.instant().isBefore(until)) {
      return false;
    }
    return breaker(provider).getState() != CircuitBreaker.State.OPEN;
  }

  private CircuitBreaker breaker(String provider) {
    return breakers.circuitBreaker(provider);
  }

  private Attempt attempt(
      ModelRef candidate,
      LlmRequest request,
      StringBuilder text,
      DeltaSink sink,
      CancelSignal cancel) {
    LlmProvider provider = providers.get(candidate.provider());
    LlmRequest routed = new LlmRequest(candidate.model(), request.messages());
    CancelSignal attemptCancel = cancel.child();
    CountDownLatch firstToken = new CountDownLatch(1);
    AtomicBoolean timedOut = new AtomicBoolean();
    AtomicLong firstTokenAt = new AtomicLong(-1);
    int before = text.length();
    Thread watchdog =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    if (!firstToken.await(firstTokenTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                      timedOut.set(true);
                      attemptCancel.cancel();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    long started = System.nanoTime();
    LlmOutcome outcome;
    try {
      outcome =
          provider.stream(
              routed,
              delta -> {
                if (firstTokenAt.compareAndSet(-1, System.nanoTime())) {
                  firstToken.countDown();
                }
                text.append(delta);
                sink.accept(delta);
              },
              attemptCancel);
    } catch (RuntimeException unexpected) {
      outcome = UpstreamErrors.unreachable(String.valueOf(unexpected.getMessage()), Usage.UNKNOWN);
    } finally {
      firstToken.countDown();
      watchdog.interrupt();
    }
    long ended = System.nanoTime();
    if (timedOut.get() && !cancel.isCancelled() && firstTokenAt.get() < 0) {
      outcome =
          new LlmOutcome.Failed(
              ErrorCode.UPSTREAM_TIMEOUT,
              "no first token within " + firstTokenTimeout.toSeconds() + " s",
              true,
              outcome.usage());
    }
    record(candidate.provider(), outcome, Duration.ofNanos(ended - started));
    Usage usage = withEstimates(outcome.usage(), routed, text.substring(before));
    BigDecimal cents =
        prices
            .priceOn(candidate.provider(), candidate.model(), LocalDate.now(clock))
            .map(price -> price.costCents(usage))
            .orElse(BigDecimal.ZERO);
    Duration ttft = firstTokenAt.get() < 0 ? null : Duration.ofNanos(firstTokenAt.get() - started);
    measure(candidate, outcome, ttft, Duration.ofNanos(ended - started), cents);
    if (ttft != null) {
      order.recordFirstToken(candidate, ttft);
    }
    return new Attempt(
        candidate.provider(),
        candidate.model(),
        outcome,
        usage,
        cents,
        ttft,
        Duration.ofNanos(ended - started));
  }

  private void measure(
      ModelRef candidate,
      LlmOutcome outcome,
      @Nullable Duration ttft,
      Duration total,
      BigDecimal cents) {
    if (ttft != null) {
      Timer.builder("grizz.first.token")
          .description("Time from calling a provider to its first token")
          .tags("provider", candidate.provider(), "model", candidate.model())
          .register(meters)
          .record(ttft);
    }
    String result =
        switch (outcome) {
          case LlmOutcome.Completed done -> "completed";
          case LlmOutcome.Cancelled cancelled -> "cancelled";
          case LlmOutcome.Failed failed -> "failed";
        };
    Timer.builder("grizz.stream.duration")
        .description("Time from calling a provider to the end of its stream")
        .tags("provider", candidate.provider(), "model", candidate.model(), "outcome", result)
        .register(meters)
        .record(total);
    if (outcome instanceof LlmOutcome.Failed failed) {
      meters
          .counter("grizz.provider.errors", "provider", candidate.provider(), "code", failed.code())
          .increment();
    }
    meters
        .counter("grizz.usage.cents", "provider", candidate.provider(), "model", candidate.model())
        .increment(cents.doubleValue());
  }

  private void record(String provider, LlmOutcome outcome, Duration took) {
    CircuitBreaker breaker = breaker(provider);
    if (outcome instanceof LlmOutcome.Failed failed
        && (failed.retryable() || failed.code().equals(ErrorCode.AUTH_FAILED))) {
      breaker.onError(took.toNanos(), TimeUnit.NANOSECONDS, new ProviderFailure(failed.code()));
      if (failed.retryAfter() != null) {
        coolingUntil.put(provider, clock.instant().plus(failed.retryAfter()));
      }
    } else {
      breaker.onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private Usage withEstimates(Usage reported, LlmRequest request, String text) {
    if (reported.complete()) {
      return reported;
    }
    Integer prompt = reported.promptTokens();
    Integer completion = reported.completionTokens();
    return new Usage(
        prompt != null ? prompt : tokens.count(request.messages()),
        completion != null ? completion : tokens.count(text),
        true);
  }

  /** Health of each provider: breaker state and any Retry-After cool-down. */
  public List<ProviderHealth> health() {
    List<ProviderHealth> health = new ArrayList<>();
    for (LlmProvider provider : providers.values()) {
      Instant until = coolingUntil.get(provider.name());
      CircuitBreaker breaker = breaker(provider.name());
      health.add(
          new ProviderHealth(
              provider.name(),
              provider.models(),
              provider.servesAnyModel(),
              breaker.getState().name().toLowerCase(java.util.Locale.ROOT),
              breaker.getMetrics().getFailureRate(),
              until != null && clock.instant().isBefore(until) ? until : null));
    }
    return health;
  }

  /** The models a caller may pick, with their catalog data where the catalog has them. */
  public List<ModelInfo> models() {
    List<ModelInfo> models = new ArrayList<>();
    LocalDate today = LocalDate.now(clock);
    for (LlmProvider provider : providers.values()) {
      for (String model : provider.models()) {
        ModelPrice price = prices.priceOn(provider.name(), model, today).orElse(null);
        models.add(
            new ModelInfo(
                new ModelRef(provider.name(), model).label(), provider.name(), model, price));
      }
    }
    return models;
  }

  /** A provider's state for operators. */
  public record ProviderHealth(
      String name,
      List<String> models,
      boolean servesAnyModel,
      String breaker,
      float failureRate,
      @Nullable Instant coolingDownUntil) {}

  /** A model as the API lists it. */
  public record ModelInfo(String id, String provider, String model, @Nullable ModelPrice price) {}

  /** A provider failure as the breaker counts it. */
  static final class ProviderFailure extends RuntimeException {
    ProviderFailure(String code) {
      super(code, null, false, false);
    }
  }
}
