package dev.grizz.engine.tool;

/**
 * What a running call shows of itself before its result (code's output as it prints). Called from
 * the tool's thread; must not block for long. What goes here is shown, not given to the model: the
 * result is.
 */
@FunctionalInterface
public interface ToolProgress {

  ToolProgress NONE = (stream, text) -> {};

  /** A piece of output; {@code stream} is {@code stdout} or {@code stderr}. */
  void output(String stream, String text);
}
