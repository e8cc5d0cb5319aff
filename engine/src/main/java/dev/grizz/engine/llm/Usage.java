package dev.grizz.engine.llm;

import org.jspecify.annotations.Nullable;

/**
 * Token counts of one completion. A count the provider did not report is null, never 0; {@code
 * estimated} says the counts were made here with a tokenizer instead of reported by the vendor.
 * {@code promptTokens} counts every input token, {@code cachedPromptTokens} those of them read from
 * the vendor's prompt cache; {@code completionTokens} counts every output token, {@code
 * reasoningTokens} those of them spent thinking (billed as output, as every vendor bills them).
 */
public record Usage(
    @Nullable Integer promptTokens,
    @Nullable Integer completionTokens,
    boolean estimated,
    @Nullable Integer cachedPromptTokens,
    @Nullable Integer reasoningTokens) {

  public static final Usage UNKNOWN = new Usage(null, null, false);

  public Usage(
      @Nullable Integer promptTokens, @Nullable Integer completionTokens, boolean estimated) {
    this(promptTokens, completionTokens, estimated, null, null);
  }

  public boolean complete() {
    return promptTokens != null && completionTokens != null;
  }
}
