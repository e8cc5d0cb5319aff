package dev.grizz.engine.llm;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Orders a route's candidates for one request by a strategy: {@code priority} (as configured),
 * {@code cheapest} (catalog price of the expected tokens), {@code fastest} (moving average of
 * recent time to first token; unmeasured candidates go first so they get measured), {@code
 * weighted} (the first candidate drawn by weight, the rest as fallbacks in order).
 */
final class RouteOrder {

  /** How the default route is ordered. */
  enum Strategy {
    PRIORITY,
    CHEAPEST,
    FASTEST,
    WEIGHTED;

    static Optional<Strategy> parse(String text) {
      try {
        return Optional.of(valueOf(text.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }

  /** Expected answer length when pricing a request that has not run yet. */
  static final int EXPECTED_COMPLETION_TOKENS = 500;

  private static final double EWMA_WEIGHT = 0.3;

  private final PriceTable prices;
  private final Clock clock;
  private final RandomGenerator random;
  private final Map<String, Double> ttftMillis = new ConcurrentHashMap<>();

  RouteOrder(PriceTable prices, Clock clock, RandomGenerator random) {
    this.prices = prices;
    this.clock = clock;
    this.random = random;
  }

  /** A route entry and its weight ({@code provider/model*3}). */
  record Weighted(ModelRef ref, int weight) {}

  List<ModelRef> order(Strategy strategy, List<Weighted> route, int promptTokens) {
    List<ModelRef> refs = new ArrayList<>(route.stream().map(Weighted::ref).toList());
    switch (strategy) {
      case PRIORITY -> {}
      case CHEAPEST -> refs.sort(Comparator.comparing(ref -> expectedCost(ref, promptTokens)));
      case FASTEST ->
          refs.sort(Comparator.comparingDouble(ref -> ttftMillis.getOrDefault(ref.label(), 0.0)));
      case WEIGHTED -> {
        ModelRef first = draw(route);
        refs.remove(first);
        refs.addFirst(first);
      }
    }
    return refs;
  }

  void recordFirstToken(ModelRef ref, Duration ttft) {
    double millis = ttft.toNanos() / 1e6;
    ttftMillis.merge(ref.label(), millis, (old, now) -> old + EWMA_WEIGHT * (now - old));
  }

  Optional<Double> averageFirstTokenMillis(ModelRef ref) {
    return Optional.ofNullable(ttftMillis.get(ref.label()));
  }

  private BigDecimal expectedCost(ModelRef ref, int promptTokens) {
    return prices
        .priceOn(ref.provider(), ref.model(), LocalDate.now(clock))
        .map(price -> price.costCents(new Usage(promptTokens, EXPECTED_COMPLETION_TOKENS, true)))
        .orElse(BigDecimal.ZERO);
  }

  private ModelRef draw(List<Weighted> route) {
    int total = route.stream().mapToInt(Weighted::weight).sum();
    int pick = random.nextInt(total);
    for (Weighted entry : route) {
      pick -= entry.weight();
      if (pick < 0) {
        return entry.ref();
      }
    }
    return route.getLast().ref();
  }
}
