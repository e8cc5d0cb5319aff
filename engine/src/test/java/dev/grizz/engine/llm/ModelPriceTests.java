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
  void cacheReadsAndWritesAreBilledAtTheirRates() {
    // Claude Sonnet 4: $3 input, $0.30 cache reads, $15 output per million tokens.
    ModelPrice price =
        new ModelPrice(
            "anthropic",
            "claude-sonnet-4",
            new BigDecimal("300"),
            new BigDecimal("30"),
            new BigDecimal("1500"),
            LocalDate.of(2026, 1, 1),
            200000);
    // 1,000,000 input tokens: 200,000 uncached, 300,000 read from the cache, 500,000 written.
    Usage usage = new Usage(1_000_000, 0, false, 300_000, null, 500_000);

    // 200,000 × 300 + 300,000 × 30 + 500,000 × 375 (1.25 × 300), per million.
    assertThat(price.costCents(usage)).isEqualByComparingTo(new BigDecimal("256.5"));
  }

  @Test
  void picksThePriceInForceOnTheDay() {
    PriceTable table =
        new PriceTable(
            java.util.List.of(
                new ModelPrice(
                    "p",
                    "m",
                    new BigDecimal("100"),
                    new BigDecimal("400"),
                    LocalDate.of(2026, 1, 1)),
                new ModelPrice(
                    "p",
                    "m",
                    new BigDecimal("80"),
                    new BigDecimal("300"),
                    LocalDate.of(2026, 6, 1))));
    Usage usage = new Usage(1_000_000, 1_000_000, false);

    assertThat(table.priceOn("p", "m", LocalDate.of(2025, 12, 31))).isEmpty();
    assertThat(table.priceOn("p", "m", LocalDate.of(2026, 5, 31)).orElseThrow().costCents(usage))
        .isEqualByComparingTo("500");
    assertThat(table.priceOn("p", "m", LocalDate.of(2026, 6, 1)).orElseThrow().costCents(usage))
        .isEqualByComparingTo("380");
  }

  @Test
  void shipsACatalogWithEveryVendorAndLoadsOverrides() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("prices", ".csv");
    java.nio.file.Files.writeString(
        file,
        "openai,gpt-4o-mini,2030-01-01,0.10,0.05,0.50,128000\nlocal,llama3,2026-01-01,0,,0,8192\n");
    try {
      PriceTable table = PriceTable.load(file);
      assertThat(table.current("openai", LocalDate.of(2026, 11, 25))).isNotEmpty();
      assertThat(table.current("anthropic", LocalDate.of(2026, 11, 25))).isNotEmpty();
      assertThat(table.current("mistral", LocalDate.of(2026, 11, 25))).isNotEmpty();
      ModelPrice before =
          table.priceOn("openai", "gpt-4o-mini", LocalDate.of(2029, 12, 31)).orElseThrow();
      ModelPrice after =
          table.priceOn("openai", "gpt-4o-mini", LocalDate.of(2030, 1, 2)).orElseThrow();
      assertThat(before.inputCentsPerMillion()).isEqualByComparingTo("15");
      assertThat(after.inputCentsPerMillion()).isEqualByComparingTo("10");
      assertThat(after.cachedInputCentsPerMillion()).isEqualByComparingTo("5");
      assertThat(table.priceOn("local", "llama3", LocalDate.of(2026, 2, 1))).isPresent();
    } finally {
      java.nio.file.Files.delete(file);
    }
  }
}
