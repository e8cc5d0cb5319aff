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
    Limits own = usage.budget(userId).orElse(new Limits(null, null, null));
    return new Limits(
        own.dailyCents() != null ? own.dailyCents() : defaults.dailyCents(),
        own.monthlyCents() != null ? own.monthlyCents() : defaults.monthlyCents(),
        own.tokensPerMinute() != null ? own.tokensPerMinute() : defaults.tokensPerMinute());
  }

  @Transactional
  public void setLimits(UUID userId, Limits limits) {
    usage.saveBudget(userId, limits, clock.instant());
  }

  /**
   * Refuses a request that would exceed the user's budget.
   *
   * @param promptTokens the tokens the request will send, counted against the per-minute limit
   * @throws BudgetExceededException naming the limit, what was used and when it resets
   */
  @Transactional(readOnly = true)
  public void check(UUID userId, int promptTokens) {
    Limits limits = limits(userId);
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (limits.dailyCents() != null) {
      Instant dayStart = today.atStartOfDay().toInstant(ZoneOffset.UTC);
      BigDecimal spent = usage.centsSince(userId, dayStart);
      if (spent.compareTo(limits.dailyCents()) >= 0) {
        throw refused(
            new BudgetExceededException(
                "daily_cents", limits.dailyCents(), spent, dayStart.plus(1, ChronoUnit.DAYS)));
      }
    }
    if (limits.monthlyCents() != null) {
      Instant monthStart = today.withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      BigDecimal spent = usage.centsSince(userId, monthStart);
      if (spent.compareTo(limits.monthlyCents()) >= 0) {
        throw refused(
            new BudgetExceededException(
                "monthly_cents",
                limits.monthlyCents(),
                spent,
                today.withDayOfMonth(1).plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
      }
    }
    if (limits.tokensPerMinute() != null) {
      long used = usage.tokensSince(userId, now.minus(Duration.ofMinutes(1)));
      if (used + promptTokens > limits.tokensPerMinute()) {
        throw refused(
            new BudgetExceededException(
                "tokens_per_minute",
                BigDecimal.valueOf(limits.tokensPerMinute()),
                BigDecimal.valueOf(used),
                now.plus(Duration.ofMinutes(1))));
      }
    }
  }
}
