package dev.grizz.engine.llm;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A function the model may call: its name, what it does, and a JSON Schema of its arguments ({@code
 * strict} asks the vendor to hold the arguments to the schema exactly). The schema is passed
 * through to the vendor unchanged; it is not to be modified once built. {@code cache} is the
 * client's caching breakpoint ({@link CacheControl}), when it set one.
 */
public record ToolSpec(
    String name,
    @Nullable String description,
    JsonNode parameters,
    boolean strict,
    @Nullable CacheControl cache) {

  public ToolSpec(String name, @Nullable String description, JsonNode parameters, boolean strict) {
    this(name, description, parameters, strict, null);
  }

  public ToolSpec {
    if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw new InvalidRequestException(
          Feature.TOOLS,
          "a tool's name is 1 to 64 letters, digits, underscores or dashes, not '" + name + "'");
    }
    if (!parameters.isObject()) {
      throw new InvalidRequestException(
          Feature.TOOLS, "the parameters of tool '" + name + "' must be a JSON Schema object");
    }
  }
}
