package dev.grizz.engine.tool;

import java.util.List;

/**
 * What a call returns to the model: text (often JSON), whether it is an error the model should know
 * about (a tool that cannot do what was asked says so here rather than throwing), and the files it
 * wrote, which the user is shown.
 */
public record ToolOutput(String content, boolean error, List<ToolFile> files) {

  public ToolOutput {
    files = List.copyOf(files);
  }

  public ToolOutput(String content, boolean error) {
    this(content, error, List.of());
  }

  public static ToolOutput ok(String content) {
    return new ToolOutput(content, false);
  }

  public static ToolOutput error(String content) {
    return new ToolOutput(content, true);
  }
}
