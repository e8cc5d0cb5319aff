package dev.grizz.engine.usage;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A request refused before any provider was called, because the caller's budget is spent.
 *
 * @param limit which limit: {@code daily_cents}, {@code monthly_cents} or {@code tokens_per_minute}
 */
public final class BudgetExceededException extends RuntimeException {

  private final String limit;
  private final BigDecimal allowed;
  private final BigDecimal used;
  private final Instant resetsAt;

  BudgetExceededException(String limit, BigDecimal allowed, BigDecimal used, Instant resetsAt) {
    super(
        "The "
            + limit.replace('_', ' ')
            + " budget is spent: "
            + used.stripTrailingZeros().toPlainString()
            + " of "
            + allowed.stripTrailingZeros().toPlainString()
            + "; it resets at "
            + resetsAt
            + ".");
    this.limit = limit;
    this.allowed = allowed;
    this.used = used;
    this.resetsAt = resetsAt;
  }

  public String limit() {
    return limit;
  }

  public BigDecimal allowed() {
    return allowed;
  }

  public BigDecimal used() {
    return used;
  }

  public BigDecimal remaining() {
    return allowed.subtract(used).max(BigDecimal.ZERO);
  }

  public Instant resetsAt() {
    return resetsAt;
  }
}
