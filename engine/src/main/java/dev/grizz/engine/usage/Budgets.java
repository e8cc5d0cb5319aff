package dev.grizz.engine.usage;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spend limits per user (cents per UTC day and month) and a token rate (per minute), checked before
 * a provider is called. Spend is what the ledger has recorded; an answer already running may take a
 * user past a limit, the next request is then refused.
 */
@Service
public class Budgets {

  private final LlmUsageRepository usage;
  private final BudgetSettings defaults;
  private final Clock clock;

  private final io.micrometer.core.instrument.MeterRegistry meters;

  Budgets(
      LlmUsageRepository usage,
      BudgetSettings defaults,
      Clock clock,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this.usage = usage;
    this.defaults = defaults;
    this.clock = clock;
    this.meters = meters;
  }

  private BudgetExceededException refused(BudgetExceededException refusal) {
    meters.counter("grizz.budget.refusals", "limit", refusal.limit()).increment();
    return refusal;
  }

  /** A user's limits; null parts are unlimited. */
  public record Limits(
      @Nullable BigDecimal dailyCents,
      @Nullable BigDecimal monthlyCents,
      @Nullable Integer tokensPerMinute) {}

  /** The limits that apply to the user: their own row, else the defaults. */
  @Transactional(readOnly = true)
  public Limits limits(UUID userId) {
    Limits own =
        usage.budget(LlmUsageRepository.Spender.USER, userId).orElse(new Limits(null, null, null));
    return new Limits(
        own.dailyCents() != null ? own.dailyCents() : defaults.dailyCents(),
        own.monthlyCents() != null ? own.monthlyCents() : defaults.monthlyCents(),
        own.tokensPerMinute() != null ? own.tokensPerMinute() : defaults.tokensPerMinute());
  }

  @Transactional
  public void setLimits(UUID userId, Limits limits) {
    usage.saveBudget(LlmUsageRepository.Spender.USER, userId, limits, clock.instant());
  }

  /** An API key's own limits (none: only the user's apply). */
  @Transactional(readOnly = true)
  public Limits keyLimits(UUID keyId) {
    return usage
        .budget(LlmUsageRepository.Spender.API_KEY, keyId)
        .orElse(new Limits(null, null, null));
  }

  @Transactional
  public void setKeyLimits(UUID keyId, Limits limits) {
    usage.saveBudget(LlmUsageRepository.Spender.API_KEY, keyId, limits, clock.instant());
  }

  /**
   * Refuses a request that would exceed the user's budget or, when it came with an API key, that
   * key's budget (limits named {@code api_key_…}).
   *
   * @param promptTokens the tokens the request will send, counted against the per-minute limit
   * @throws BudgetExceededException naming the limit, what was used and when it resets
   */
  // No transaction: with no limits set (the usual case) it is one read, and a COMMIT would double
  // its round trips on every message.
  public void check(UUID userId, @Nullable UUID apiKeyId, int promptTokens) {
    check(
        "",
        limits(userId),
        since -> usage.centsSince(LlmUsageRepository.Spender.USER, userId, since),
        since -> usage.tokensSince(LlmUsageRepository.Spender.USER, userId, since),
        promptTokens);
    if (apiKeyId != null) {
      check(
          "api_key_",
          keyLimits(apiKeyId),
          since -> usage.centsSince(LlmUsageRepository.Spender.API_KEY, apiKeyId, since),
          since -> usage.tokensSince(LlmUsageRepository.Spender.API_KEY, apiKeyId, since),
          promptTokens);
    }
  }

  private void check(
      String scope,
      Limits limits,
      java.util.function.Function<Instant, BigDecimal> centsSince,
      java.util.function.ToLongFunction<Instant> tokensSince,
      int promptTokens) {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (limits.dailyCents() != null) {
      Instant dayStart = today.atStartOfDay().toInstant(ZoneOffset.UTC);
      BigDecimal spent = centsSince.apply(dayStart);
      if (spent.compareTo(limits.dailyCents()) >= 0) {
        throw refused(
            new BudgetExceededException(
                scope + "daily_cents",
                limits.dailyCents(),
                spent,
                dayStart.plus(1, ChronoUnit.DAYS)));
      }
    }
    if (limits.monthlyCents() != null) {
      Instant monthStart = today.withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      BigDecimal spent = centsSince.apply(monthStart);
      if (spent.compareTo(limits.monthlyCents()) >= 0) {
        throw refused(
            new BudgetExceededException(
                scope + "monthly_cents",
                limits.monthlyCents(),
                spent,
                today.withDayOfMonth(1).plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
      }
    }
    if (limits.tokensPerMinute() != null) {
      long used = tokensSince.applyAsLong(now.minus(Duration.ofMinutes(1)));
      if (used + promptTokens > limits.tokensPerMinute()) {
        throw refused(
            new BudgetExceededException(
                scope + "tokens_per_minute",
                BigDecimal.valueOf(limits.tokensPerMinute()),
                BigDecimal.valueOf(used),
                now.plus(Duration.ofMinutes(1))));
      }
    }
  }
}
