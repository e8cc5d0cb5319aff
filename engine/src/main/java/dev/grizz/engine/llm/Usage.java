package dev.grizz.engine.llm;

import org.jspecify.annotations.Nullable;

/**
 * Token counts of one completion. A count the provider did not report is null, never 0; {@code
 * estimated} says the counts were made here with a tokenizer instead of reported by the vendor.
 * {@code promptTokens} counts every input token, {@code cachedPromptTokens} those of them read from
 * the vendor's prompt cache; {@code completionTokens} counts every output token, {@code
 * reasoningTokens} those of them spent thinking (billed as output, as every vendor bills them).
 * {@code cacheWriteTokens} counts the input tokens written to the prompt cache (Anthropic reports
 * them, as {@code cache_creation_input_tokens}, and bills them above the input rate); they too are
 * in {@code promptTokens}.
 */
public record Usage(
    @Nullable Integer promptTokens,
    @Nullable Integer completionTokens,
    boolean estimated,
    @Nullable Integer cachedPromptTokens,
    @Nullable Integer reasoningTokens,
    @Nullable Integer cacheWriteTokens) {

  public static final Usage UNKNOWN = new Usage(null, null, false);

  /** Counts of a vendor that reports no cache writes. */
  public Usage(
      @Nullable Integer promptTokens,
      @Nullable Integer completionTokens,
      boolean estimated,
      @Nullable Integer cachedPromptTokens,
      @Nullable Integer reasoningTokens) {
    this(promptTokens, completionTokens, estimated, cachedPromptTokens, reasoningTokens, null);
  }

  public Usage(
      @Nullable Integer promptTokens, @Nullable Integer completionTokens, boolean estimated) {
    this(promptTokens, completionTokens, estimated, null, null);
  }

  public boolean complete() {
    return promptTokens != null && completionTokens != null;
  }
}
