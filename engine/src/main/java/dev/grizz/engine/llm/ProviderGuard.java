package dev.grizz.engine.llm;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Keeps sick providers out of the way: a circuit breaker per provider (opens when half of its last
 * calls, at least 4, failed; one probe after 30 s) and the cool-down a 429 with Retry-After asks
 * for.
 */
final class ProviderGuard {

  private final CircuitBreakerRegistry breakers =
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
  private final Map<String, Instant> coolingUntil = new ConcurrentHashMap<>();
  private final Clock clock;

  ProviderGuard(Clock clock, Collection<String> providers, MeterRegistry meters) {
    this.clock = clock;
    for (String name : providers) {
      Gauge.builder(
              "grizz.provider.breaker.open",
              this,
              guard -> guard.breaker(name).getState() == CircuitBreaker.State.OPEN ? 1 : 0)
          .description("1 while the provider's circuit breaker is open")
          .tag("provider", name)
          .register(meters);
    }
  }

  /** False while the provider's breaker is open or it asked us to come back later. */
  boolean available(String provider) {
    Instant until = coolingUntil.get(provider);
    if (until != null && clock.instant().isBefore(until)) {
      return false;
    }
    return breaker(provider).getState() != CircuitBreaker.State.OPEN;
  }

  private CircuitBreaker breaker(String provider) {
    return breakers.circuitBreaker(provider);
  }

  String state(String provider) {
    return breaker(provider).getState().name().toLowerCase(Locale.ROOT);
  }

  float failureRate(String provider) {
    return breaker(provider).getMetrics().getFailureRate();
  }

  @Nullable Instant coolingDownUntil(String provider) {
    Instant until = coolingUntil.get(provider);
    return until != null && clock.instant().isBefore(until) ? until : null;
  }

  /** Counts an attempt: retryable failures and bad keys against the provider, the rest for it. */
  void record(String provider, LlmOutcome outcome, Duration took) {
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

  /** A provider failure as the breaker counts it. */
  static final class ProviderFailure extends RuntimeException {
    ProviderFailure(String code) {
      super(code, null, false, false);
    }
  }
}
