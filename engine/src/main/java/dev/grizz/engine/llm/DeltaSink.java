package dev.grizz.engine.llm;

/**
 * Receives an answer piece by piece, in order, as the provider streams it: text, reasoning (a
 * thinking model's thoughts, where its vendor relays them) and tool-call pieces. Every method is
 * the sink's to decide on: a sink that has no place for reasoning says so by ignoring it, in its
 * code.
 */
public interface DeltaSink {

  /** The next piece of the answer's text. */
  void accept(String text);

  /** The next piece of the model's reasoning. */
  void reasoning(String text);

  /** The next piece of a tool call. */
  void toolCall(ToolCallDelta delta);

  /**
   * The vendor's signature of the reasoning streamed since the last signature (Anthropic's {@code
   * signature_delta}, which ends a thinking block). It means nothing to a person: a sink that shows
   * reasoning, or has no place for it, has no use for it, hence the default; the sinks that keep an
   * answer for a later turn, or relay it in Anthropic's shape, take it.
   */
  default void thinkingSignature(String signature) {}

  /** A block of reasoning the vendor sent encrypted (Anthropic's {@code redacted_thinking}). */
  default void redactedThinking(String data) {}

  /**
   * Called by the router before each upstream attempt with the model it is about to call; what
   * follows, until the next call, is that model's. The router falls back only before anything has
   * streamed, so the model named last before the first piece is the one that answers: a caller that
   * writes the answer as it streams (the {@code /v1} chunks) can name it in every piece.
   */
  default void attempting(ModelRef model) {}

  /** A sink that keeps only text, for callers that offer no tools and show no reasoning. */
  static DeltaSink textOnly(java.util.function.Consumer<String> text) {
    return new DeltaSink() {
      @Override
      public void accept(String piece) {
        text.accept(piece);
      }

      @Override
      public void reasoning(String piece) {
        // no place for it
      }

      @Override
      public void toolCall(ToolCallDelta delta) {
        // no tools were offered
      }
    };
  }
}
