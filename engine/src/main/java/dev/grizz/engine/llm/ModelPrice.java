package dev.grizz.engine.llm;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * A catalog row: what a model costs from a date on, in US cents per million tokens, and how much
 * context it takes. A price change is a new row; old rows stay so a past completion's cost can be
 * recomputed for its date.
 */
public record ModelPrice(
    String provider,
    String model,
    BigDecimal inputCentsPerMillion,
    @Nullable BigDecimal cachedInputCentsPerMillion,
    BigDecimal outputCentsPerMillion,
    LocalDate effectiveFrom,
    int contextTokens) {

  private static final int MILLION_DIGITS = 6;

  public ModelPrice(
      String provider,
      String model,
      BigDecimal inputCentsPerMillion,
      BigDecimal outputCentsPerMillion,
      LocalDate effectiveFrom) {
    this(provider, model, inputCentsPerMillion, null, outputCentsPerMillion, effectiveFrom, 0);
  }

  /** Exact cost in cents; tokens not reported count as none. */
  public BigDecimal costCents(Usage usage) {
    BigDecimal input = perToken(inputCentsPerMillion, usage.promptTokens());
    BigDecimal output = perToken(outputCentsPerMillion, usage.completionTokens());
    return input.add(output).movePointLeft(MILLION_DIGITS).stripTrailingZeros();
  }

  private static BigDecimal perToken(BigDecimal centsPerMillion, @Nullable Integer tokens) {
    return tokens == null ? BigDecimal.ZERO : centsPerMillion.multiply(BigDecimal.valueOf(tokens));
  }
}
