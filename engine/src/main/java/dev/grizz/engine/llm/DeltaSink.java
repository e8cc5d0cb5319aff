package dev.grizz.engine.llm;

/** Receives the text of a completion piece by piece, in order. */
@FunctionalInterface
public interface DeltaSink {
  void accept(String text);
}
