package dev.grizz.engine.llm;

import org.jspecify.annotations.Nullable;

/**
 * Token counts of one completion. A count the provider did not report is null, never 0; {@code
 * estimated} says the counts were made here with a tokenizer instead of reported by the vendor.
 */
public record Usage(
    @Nullable Integer promptTokens, @Nullable Integer completionTokens, boolean estimated) {

  public static final Usage UNKNOWN = new Usage(null, null, false);

  public boolean complete() {
    return promptTokens != null && completionTokens != null;
  }
}
