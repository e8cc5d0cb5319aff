package dev.grizz.engine.tool;

import dev.grizz.engine.llm.ToolSpec;
import tools.jackson.databind.JsonNode;

/**
 * What a model is told about a tool (name, description, JSON Schema of its arguments), how it may
 * be run ({@link ToolLimits}), and where it comes from ({@code builtin}, or {@code mcp:<server>}).
 */
public record ToolDefinition(
    String name, String description, JsonNode parameters, ToolLimits limits, String source) {

  public static final String BUILTIN = "builtin";

  public ToolDefinition {
    if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw new IllegalArgumentException(
          "a tool's name is 1 to 64 letters, digits, underscores or dashes, not '" + name + "'");
    }
    if (!parameters.isObject()) {
      throw new IllegalArgumentException(
          "the parameters of tool '" + name + "' must be a JSON Schema object");
    }
  }

  /** A built-in tool with the given limits. */
  public static ToolDefinition builtin(
      String name, String description, JsonNode parameters, ToolLimits limits) {
    return new ToolDefinition(name, description, parameters, limits, BUILTIN);
  }

  /**
   * What one call costs, in cents, for the audit log: a built-in runs in the engine at no charge;
   * what a call of another source (an MCP server) costs its owner is not known here (null, never
   * 0).
   */
  public java.math.@org.jspecify.annotations.Nullable BigDecimal costCents() {
    return source.equals(BUILTIN) ? java.math.BigDecimal.ZERO : null;
  }

  /** The tool as a model request offers it. */
  public ToolSpec spec() {
    return new ToolSpec(name, description, parameters, false);
  }
}
