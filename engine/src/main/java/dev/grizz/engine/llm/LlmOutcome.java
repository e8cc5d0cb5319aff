package dev.grizz.engine.llm;

/** How a provider's stream ended. */
public sealed interface LlmOutcome {

  /** Token counts as far as they are known. */
  Usage usage();

  /** The model finished (stop, length, …). */
  record Completed(String finishReason, Usage usage) implements LlmOutcome {}

  /** The caller cancelled; text streamed so far stands. */
  record Cancelled(Usage usage) implements LlmOutcome {}

  /**
   * The upstream failed. {@code code} is one of our stable error codes; {@code retryable} says
   * whether another attempt (or another provider) may succeed.
   */
  record Failed(String code, String message, boolean retryable, Usage usage)
      implements LlmOutcome {}
}
