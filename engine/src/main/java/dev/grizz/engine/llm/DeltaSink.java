package dev.grizz.engine.llm;

/** Receives the text of a completion piece by piece, in order. */
@FunctionalInterface
public interface DeltaSink {
  void accept(String text);

  /**
   * Called by the router before each upstream attempt with the model it is about to call; the text
   * that follows, until the next call, is that model's. The router falls back only before any text
   * has come, so the model named last before the first piece is the one that answers: a caller that
   * writes the answer as it streams (the {@code /v1} chunks) can name it in every chunk.
   */
  default void attempting(ModelRef model) {}
}
