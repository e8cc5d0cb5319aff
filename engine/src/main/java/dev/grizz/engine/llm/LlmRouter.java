package dev.grizz.engine.llm;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Picks the provider for a model and runs the completion through it, measuring time to first token
 * and total time, estimating usage the provider did not report, and pricing the result.
 */
@Service
public class LlmRouter {

  private final Map<String, LlmProvider> providersByModel = new LinkedHashMap<>();
  private final List<LlmProvider> providers;
  private final PriceTable prices;
  private final TokenCounter tokens;
  private final Clock clock;

  LlmRouter(List<LlmProvider> providers, PriceTable prices, TokenCounter tokens, Clock clock) {
    this.providers = List.copyOf(providers);
    this.prices = prices;
    this.tokens = tokens;
    this.clock = clock;
    for (LlmProvider provider : providers) {
      for (String model : provider.models()) {
        providersByModel.putIfAbsent(model, provider);
      }
    }
  }

  /** Names of the enabled providers, in preference order. */
  public List<String> providerNames() {
    return providers.stream().map(LlmProvider::name).toList();
  }

  /** The model used when a request names none. */
  public String defaultModel() {
    return providersByModel.keySet().iterator().next();
  }

  /**
   * The model a request will use.
   *
   * @throws UnknownModelException when {@code requested} is not served by any provider
   */
  public String resolveModel(@Nullable String requested) {
    if (requested == null || requested.isBlank()) {
      return defaultModel();
    }
    if (!providersByModel.containsKey(requested)) {
      throw new UnknownModelException(requested);
    }
    return requested;
  }

  /** Streams a completion; blocks until it ends, is cancelled or fails. */
  public Completion complete(LlmRequest request, DeltaSink sink, CancelSignal cancel) {
    String model = resolveModel(request.model());
    LlmProvider provider = providersByModel.get(model);
    LlmRequest routed = new LlmRequest(model, request.messages());
    StringBuilder text = new StringBuilder();
    long started = System.nanoTime();
    long[] firstToken = {-1};
    LlmOutcome outcome;
    try {
      outcome =
          provider.stream(
              routed,
              delta -> {
                if (firstToken[0] < 0) {
                  firstToken[0] = System.nanoTime();
                }
                text.append(delta);
                sink.accept(delta);
              },
              cancel);
    } catch (RuntimeException unexpected) {
      outcome =
          new LlmOutcome.Failed(
              "upstream_unavailable", String.valueOf(unexpected.getMessage()), true, Usage.UNKNOWN);
    }
    Duration total = Duration.ofNanos(System.nanoTime() - started);
    Duration ttft = firstToken[0] < 0 ? null : Duration.ofNanos(firstToken[0] - started);
    Usage usage = withEstimates(outcome.usage(), routed, text);
    BigDecimal cents =
        prices
            .priceOn(provider.name(), model, LocalDate.now(clock))
            .map(price -> price.costCents(usage))
            .orElse(BigDecimal.ZERO);
    return new Completion(
        provider.name(), model, outcome, text.toString(), usage, cents, ttft, total);
  }

  private Usage withEstimates(Usage reported, LlmRequest request, CharSequence text) {
    if (reported.complete()) {
      return reported;
    }
    Integer prompt = reported.promptTokens();
    Integer completion = reported.completionTokens();
    return new Usage(
        prompt != null ? prompt : tokens.count(request.messages()),
        completion != null ? completion : tokens.count(text.toString()),
        true);
  }
}
