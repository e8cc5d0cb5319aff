package dev.grizz.engine.usage;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** A user's usage between two dates, grouped by provider, model or day. */
public record UsageSummary(
    LocalDate from, LocalDate to, String groupBy, List<Row> rows, Row total) {

  /**
   * One group's totals; failed and cancelled attempts count too, as they were billed. Engine
   * retries (attempts lost to a takeover, billed 0) do not.
   */
  public record Row(
      String key, long attempts, long promptTokens, long completionTokens, BigDecimal usageCents) {}
}
