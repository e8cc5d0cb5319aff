package dev.grizz.engine.tool;

/**
 * What a call returns to the model: text (often JSON), and whether it is an error the model should
 * know about (a tool that cannot do what was asked says so here rather than throwing).
 */
public record ToolOutput(String content, boolean error) {

  public static ToolOutput ok(String content) {
    return new ToolOutput(content, false);
  }

  public static ToolOutput error(String content) {
    return new ToolOutput(content, true);
  }
}
