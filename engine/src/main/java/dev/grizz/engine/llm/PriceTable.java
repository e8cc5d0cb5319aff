package dev.grizz.engine.llm;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Model prices by date. The catalog of real vendors' prices comes with their providers. */
@Component
class PriceTable {

  private final List<ModelPrice> rows =
      List.of(
          new ModelPrice(
              DemoProvider.NAME,
              DemoProvider.MODEL,
              BigDecimal.ZERO,
              BigDecimal.ZERO,
              LocalDate.of(2026, 1, 1)));

  /** The price in force on {@code day}: the newest row whose effective date is not after it. */
  Optional<ModelPrice> priceOn(String provider, String model, LocalDate day) {
    return rows.stream()
        .filter(row -> row.provider().equals(provider) && row.model().equals(model))
        .filter(row -> !row.effectiveFrom().isAfter(day))
        .max(Comparator.comparing(ModelPrice::effectiveFrom));
  }
}
