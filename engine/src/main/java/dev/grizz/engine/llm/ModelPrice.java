package dev.grizz.engine.llm;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * A catalog row: what a model costs from a date on, in US cents per million tokens, how much
 * context it takes, and what it can do. A price change is a new row; old rows stay so a past
 * completion's cost can be recomputed for its date.
 */
public record ModelPrice(
    String provider,
    String model,
    BigDecimal inputCentsPerMillion,
    @Nullable BigDecimal cachedInputCentsPerMillion,
    BigDecimal outputCentsPerMillion,
    LocalDate effectiveFrom,
    int contextTokens,
    ModelCapabilities capabilities) {

  private static final int MILLION_DIGITS = 6;

  public ModelPrice(
      String provider,
      String model,
      BigDecimal inputCentsPerMillion,
      BigDecimal outputCentsPerMillion,
      LocalDate effectiveFrom) {
    this(
        provider,
        model,
        inputCentsPerMillion,
        null,
        outputCentsPerMillion,
        effectiveFrom,
        0,
        ModelCapabilities.UNKNOWN);
  }

  /** A row without capabilities (the catalog's older seven columns). */
  public ModelPrice(
      String provider,
      String model,
      BigDecimal inputCentsPerMillion,
      @Nullable BigDecimal cachedInputCentsPerMillion,
      BigDecimal outputCentsPerMillion,
      LocalDate effectiveFrom,
      int contextTokens) {
    this(
        provider,
        model,
        inputCentsPerMillion,
        cachedInputCentsPerMillion,
        outputCentsPerMillion,
        effectiveFrom,
        contextTokens,
        ModelCapabilities.UNKNOWN);
  }

  /**
   * Exact cost in cents; tokens not reported count as none. Input tokens read from the vendor's
   * prompt cache are billed at the cached rate where the catalog has one.
   */
  public BigDecimal costCents(Usage usage) {
    Integer prompt = usage.promptTokens();
    Integer cached = usage.cachedPromptTokens();
    BigDecimal input;
    if (prompt != null && cached != null && cachedInputCentsPerMillion != null) {
      int fromCache = Math.min(cached, prompt);
      input =
          perToken(inputCentsPerMillion, prompt - fromCache)
              .add(perToken(cachedInputCentsPerMillion, fromCache));
    } else {
      input = perToken(inputCentsPerMillion, prompt);
    }
    BigDecimal output = perToken(outputCentsPerMillion, usage.completionTokens());
    return input.add(output).movePointLeft(MILLION_DIGITS).stripTrailingZeros();
  }

  private static BigDecimal perToken(BigDecimal centsPerMillion, @Nullable Integer tokens) {
    return tokens == null ? BigDecimal.ZERO : centsPerMillion.multiply(BigDecimal.valueOf(tokens));
  }
}
