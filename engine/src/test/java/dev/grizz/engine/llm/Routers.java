package dev.grizz.engine.llm;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Builds routers over given providers for tests, with settings and prices kept out of the way. */
final class Routers {

  private Routers() {}

  /** Provider settings with only what routing tests vary; no vendor is configured. */
  static ProviderSettings settings(
      List<String> route, String strategy, Duration firstTokenTimeout) {
    return settings(route, strategy, firstTokenTimeout, 10);
  }

  /** The same with a given Anthropic answer cap. */
  static ProviderSettings settings(
      List<String> route, String strategy, Duration firstTokenTimeout, int anthropicMaxTokens) {
    return new ProviderSettings(
        null,
        null,
        null,
        null,
        null,
        null,
        "http://a",
        anthropicMaxTokens,
        null,
        null,
        "http://m",
        null,
        route,
        strategy,
        firstTokenTimeout,
        Duration.ofSeconds(5),
        (Path) null,
        false);
  }

  /** A catalog row for model {@code m} of a provider, in cents per million tokens. */
  static ModelPrice price(String provider, String inputCents, String outputCents) {
    return new ModelPrice(
        provider,
        "m",
        new BigDecimal(inputCents),
        null,
        new BigDecimal(outputCents),
        LocalDate.of(2026, 1, 1),
        1000);
  }

  static LlmRouter router(
      Clock clock, ProviderSettings settings, List<ModelPrice> prices, LlmProvider... providers) {
    return new LlmRouter(
        new SimpleMeterRegistry(),
        new ProvidersConfig.Providers(List.of(providers), true),
        new PriceTable(prices),
        new TokenCounter(),
        clock,
        settings,
        new dev.grizz.engine.telemetry.Tracing(io.opentelemetry.api.OpenTelemetry.noop()));
  }

  /** Every provider's model {@code m} at 100 / 200 cents per million tokens. */
  static List<ModelPrice> flatPrices(LlmProvider... providers) {
    List<ModelPrice> prices = new ArrayList<>();
    for (LlmProvider provider : providers) {
      prices.add(price(provider.name(), "100", "200"));
    }
    return prices;
  }
}
