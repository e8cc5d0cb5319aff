package dev.grizz.engine.llm;

import org.jspecify.annotations.Nullable;

/** Whether the model may, must or must not call a tool, or must call one named tool. */
public record ToolChoice(Mode mode, @Nullable String name) {

  public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
  public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
  public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

  public ToolChoice {
    if ((mode == Mode.FUNCTION) != (name != null)) {
      throw new IllegalArgumentException("a named tool choice, and only it, has a name");
    }
  }

  public static ToolChoice function(String name) {
    return new ToolChoice(Mode.FUNCTION, name);
  }

  public enum Mode {
    /** The model decides (the default). */
    AUTO,
    /** No tool calls. */
    NONE,
    /** At least one tool call. */
    REQUIRED,
    /** A call of the named tool. */
    FUNCTION
  }
}
