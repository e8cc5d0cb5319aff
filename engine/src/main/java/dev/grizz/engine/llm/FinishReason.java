package dev.grizz.engine.llm;

import java.util.Locale;

/**
 * Why a model stopped, in the closed set every API renders (each vendor's reasons are mapped to it
 * at the adapter). A content filter or refusal is not here: it ends the answer as a failure.
 */
public enum FinishReason {
  /** The model was done, or hit a stop sequence. */
  STOP,
  /** The output token limit cut the answer. */
  LENGTH,
  /** The model called tools and waits for their results. */
  TOOL_CALLS;

  /** OpenAI's spelling: {@code stop}, {@code length}, {@code tool_calls}. */
  public String openAi() {
    return name().toLowerCase(Locale.ROOT);
  }
}
