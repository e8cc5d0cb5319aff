package dev.grizz.engine.llm;

import dev.grizz.engine.telemetry.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private final MeterRegistry meters;
  private final ProviderGuard guard;
  private final AttemptRunner attempts;
  private final boolean dropUnsupported;

  LlmRouter(
      MeterRegistry meters,
      ProvidersConfig.Providers enabled,
      PriceTable prices,
      TokenCounter tokens,
      Clock clock,
      ProviderSettings settings,
      Tracing tracing) {
    enabled.all().forEach(provider -> providers.put(provider.name(), provider));
    this.meters = meters;
    this.prices = prices;
    this.tokens = tokens;
    this.clock = clock;
    this.route = defaultRoute(settings.route(), enabled);
    this.dropUnsupported = settings.dropUnsupported();
    this.order = new RouteOrder(prices, clock, new java.util.Random());
    this.guard = new ProviderGuard(clock, providers.keySet(), meters);
    this.attempts =
        new AttemptRunner(
            providers,
            prices,
            tokens,
            clock,
            settings.firstTokenTimeout(),
            meters,
            guard,
            order,
            tracing.tracer());
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
    return complete(request, tokens.count(request), sink, cancel);
  }

  /**
   * As {@link #complete(LlmRequest, DeltaSink, CancelSignal)} for a request whose size in tokens
   * the caller has counted already (a built context): counting a long conversation again on every
   * turn was ~5 % of the engine's CPU at 64 streams.
   */
  public Completion complete(
      LlmRequest request, int promptTokens, DeltaSink sink, CancelSignal cancel) {
    List<Attempt> tried = new ArrayList<>();
    List<Fitted> candidates = fitted(request, candidates(request.model(), promptTokens));
    AnswerBuffer answer = new AnswerBuffer();
    for (int i = 0; i < candidates.size(); i++) {
      Fitted candidate = candidates.get(i);
      boolean last = i == candidates.size() - 1;
      if (!last && !guard.available(candidate.ref().provider())) {
        continue;
      }
      answer = new AnswerBuffer();
      Attempt attempt = attempts.run(candidate.ref(), candidate.request(), answer, sink, cancel);
      tried.add(attempt);
      boolean fallBack =
          attempt.outcome() instanceof LlmOutcome.Failed failed
              && failed.retryable()
              && answer.isEmpty()
              && !cancel.isCancelled();
      if (!fallBack) {
        break;
      }
      meters.counter("grizz.fallbacks", "from_provider", candidate.ref().provider()).increment();
    }
    if (tried.isEmpty()) {
      // Every candidate is open or cooling down: try the first anyway rather than fail unasked.
      Fitted first = candidates.getFirst();
      tried.add(attempts.run(first.ref(), first.request(), answer, sink, cancel));
    }
    return new Completion(
        answer.text(), answer.reasoningText(), answer.toolCalls(), tried, answer.thinking());
  }

  /**
   * Checks, without calling anyone, that some candidate for the request's model can honour what it
   * uses (or that dropping is opted into).
   *
   * @throws UnsupportedFeatureException when none can
   * @throws UnknownModelException when no provider serves the model
   */
  public void requireHonoured(LlmRequest request) {
    fitted(request, candidates(request.model(), 0));
  }

  /** A candidate and the request it gets: the caller's, or without what it cannot honour. */
  private record Fitted(ModelRef ref, LlmRequest request) {}

  /**
   * The candidates that can honour every feature the request uses, in order; with dropping opted
   * into (by the operator or the request), every candidate, each sent the request without what it
   * cannot honour.
   *
   * @throws UnsupportedFeatureException when no candidate can honour the request
   */
  private List<Fitted> fitted(LlmRequest request, List<ModelRef> candidates) {
    Set<Feature> used = request.features();
    if (used.isEmpty()) {
      return candidates.stream().map(ref -> new Fitted(ref, request)).toList();
    }
    boolean drop = dropUnsupported || request.options().dropUnsupported();
    List<Fitted> fitted = new ArrayList<>();
    UnsupportedFeatureException refused = null;
    for (ModelRef ref : candidates) {
      Set<Feature> lacking = lacking(ref, request, used);
      if (lacking.isEmpty()) {
        fitted.add(new Fitted(ref, request));
      } else if (drop) {
        fitted.add(new Fitted(ref, request.without(lacking)));
      } else if (refused == null) {
        refused = new UnsupportedFeatureException(lacking.iterator().next(), ref.label());
      }
    }
    if (fitted.isEmpty()) {
      throw java.util.Objects.requireNonNull(refused);
    }
    return fitted;
  }

  /** What of {@code used} the candidate cannot honour: its adapter's word, then the catalog's. */
  private Set<Feature> lacking(ModelRef ref, LlmRequest request, Set<Feature> used) {
    Set<Feature> lacking = EnumSet.copyOf(used);
    LlmProvider provider = providers.get(ref.provider());
    lacking.removeAll(provider.supports(ref.model()));
    lacking.addAll(provider.cannotHonour(request.withModel(ref.model())));
    prices
        .priceOn(ref.provider(), ref.model(), LocalDate.now(clock))
        .ifPresent(row -> lacking.addAll(row.capabilities().lacking(request)));
    return lacking;
  }

  /** Health of each provider: breaker state and any Retry-After cool-down. */
  public List<ProviderHealth> health() {
    List<ProviderHealth> health = new ArrayList<>();
    for (LlmProvider provider : providers.values()) {
      health.add(
          new ProviderHealth(
              provider.name(),
              provider.models(),
              provider.servesAnyModel(),
              guard.state(provider.name()),
              guard.failureRate(provider.name()),
              guard.coolingDownUntil(provider.name())));
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
}
