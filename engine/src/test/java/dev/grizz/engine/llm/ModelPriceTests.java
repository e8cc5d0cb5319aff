package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ModelPriceTests {

  private static ModelPrice price(String in, String out) {
    return new ModelPrice(
        "p", "m", new BigDecimal(in), new BigDecimal(out), LocalDate.of(2026, 1, 1));
  }

  @Test
  void costsExactlyWithoutFloatingPoint() {
    // $2.50 / $10.00 per million tokens = 250 / 1000 cents per million.
    ModelPrice price = price("250", "1000");

    assertThat(price.costCents(new Usage(1234, 567, false)))
        .isEqualByComparingTo(new BigDecimal("0.8755"));
    assertThat(price.costCents(new Usage(1, 0, false)))
        .isEqualByComparingTo(new BigDecimal("0.00025"));
  }

  @Test
  void keepsMicroCentPrecision() {
    ModelPrice price = price("7.5", "0.3");

    assertThat(price.costCents(new Usage(3, 7, false)).toPlainString()).isEqualTo("0.0000246");
  }

  @Test
  void unreportedTokensAddNothingRatherThanGuessing() {
    assertThat(price("100", "100").costCents(new Usage(null, 10, true)))
        .isEqualByComparingTo(new BigDecimal("0.001"));
  }

  @Test
  void picksThePriceInForceOnTheDay() {
    PriceTable table = new PriceTable();
    assertThat(table.priceOn("demo", "demo", LocalDate.of(2026, 6, 1))).isPresent();
    assertThat(table.priceOn("demo", "demo", LocalDate.of(2025, 6, 1))).isEmpty();
  }
}
