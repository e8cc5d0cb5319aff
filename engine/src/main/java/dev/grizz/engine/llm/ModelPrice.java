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
   * What a token written to the prompt cache costs, as a multiple of the input rate: Anthropic's
   * price of a five-minute cache write, the only vendor that reports writes. (A one-hour write,
   * which costs twice the input rate, is billed at this rate too: the usage does not say which.)
   */
  static final BigDecimal CACHE_WRITE_RATE = new BigDecimal("1.25");

  /**
   * Exact cost in cents; tokens not reported count as none. Input tokens read from the vendor's
   * prompt cache are billed at the cached rate where the catalog has one, and those written to it
   * at {@link #CACHE_WRITE_RATE} times the input rate.
   */
  public BigDecimal costCents(Usage usage) {
    Integer prompt = usage.promptTokens();
    Integer cached = usage.cachedPromptTokens();
    BigDecimal input;
    int uncached = prompt == null ? 0 : prompt;
    BigDecimal cacheIo = BigDecimal.ZERO;
    if (prompt != null && cached != null && cachedInputCentsPerMillion != null) {
      int fromCache = Math.min(cached, uncached);
      uncached -= fromCache;
      cacheIo = perToken(cachedInputCentsPerMillion, fromCache);
    }
    Integer written = usage.cacheWriteTokens();
    if (prompt != null && written != null) {
      int toCache = Math.min(written, uncached);
      uncached -= toCache;
      cacheIo = cacheIo.add(perToken(inputCentsPerMillion.multiply(CACHE_WRITE_RATE), toCache));
    }
    input =
        prompt == null ? BigDecimal.ZERO : perToken(inputCentsPerMillion, uncached).add(cacheIo);
    BigDecimal output = perToken(outputCentsPerMillion, usage.completionTokens());
    return input.add(output).movePointLeft(MILLION_DIGITS).stripTrailingZeros();
  }

  private static BigDecimal perToken(BigDecimal centsPerMillion, @Nullable Integer tokens) {
    return tokens == null ? BigDecimal.ZERO : centsPerMillion.multiply(BigDecimal.valueOf(tokens));
  }
}
