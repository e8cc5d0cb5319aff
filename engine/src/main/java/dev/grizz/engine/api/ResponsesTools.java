package dev.grizz.engine.api;

import dev.grizz.engine.api.ResponsesErrors.RefusedException;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A Responses request's {@code tools} and {@code tool_choice}. A function tool's name, description,
 * parameters and {@code strict} sit on the tool object itself (Chat Completions nests them under
 * {@code function}); hosted tools, which run at OpenAI, are refused.
 */
final class ResponsesTools {

  /** The function tool's fields; any other one (defer_loading, output_schema) is refused. */
  private static final Set<String> TOOL_FIELDS =
      Set.of("type", "name", "description", "parameters", "strict");

  private ResponsesTools() {}

  static List<ToolSpec> tools(JsonNode tools) {
    if (tools.isMissingNode() || tools.isNull()) {
      return List.of();
    }
    if (!tools.isArray()) {
      throw RefusedException.invalid("tools", "tools must be an array.");
    }
    List<ToolSpec> specs = new ArrayList<>();
    for (JsonNode tool : tools) {
      String type = tool.path("type").asString("");
      if (!type.equals("function")) {
        throw RefusedException.unsupported(
            "tools",
            "Grizz supports only function tools, not '"
                + type
                + "': hosted tools (web_search, file_search, ...) run at OpenAI.");
      }
      for (String field : tool.propertyNames()) {
        if (!TOOL_FIELDS.contains(field) && !tool.get(field).isNull()) {
          throw RefusedException.unsupported(
              "tools", "Grizz does not support a function tool's '" + field + "'.");
        }
      }
      JsonNode parameters = tool.path("parameters");
      if (parameters.isMissingNode() || parameters.isNull()) {
        throw RefusedException.invalid("tools", "each function tool needs its parameters.");
      }
      JsonNode description = tool.path("description");
      // OpenAI's Responses API holds function arguments to the schema unless told otherwise.
      JsonNode strict = tool.path("strict");
      specs.add(
          new ToolSpec(
              tool.path("name").asString(""),
              description.isString() ? description.asString() : null,
              parameters,
              strict.isMissingNode() || strict.isNull() || strict.asBoolean()));
    }
    return specs;
  }

  /**
   * The tool choice; one that requires a call needs tools, and a named one must be among them (as
   * OpenAI refuses them).
   */
  static ToolChoice toolChoice(JsonNode choice, List<ToolSpec> tools) {
    ToolChoice parsed = toolChoice(choice);
    if (parsed.mode() == ToolChoice.Mode.REQUIRED || parsed.mode() == ToolChoice.Mode.FUNCTION) {
      if (tools.isEmpty()) {
        throw RefusedException.invalid(
            "tool_choice", "tool_choice requires a call but no tools are given.");
      }
      if (parsed.name() != null && tools.stream().noneMatch(t -> t.name().equals(parsed.name()))) {
        throw RefusedException.invalid(
            "tool_choice",
            "tool_choice names '" + parsed.name() + "', which is not among the tools.");
      }
    }
    return parsed;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (choice.isMissingNode() || choice.isNull()) {
      return ToolChoice.AUTO;
    }
    if (choice.isString()) {
      return switch (choice.asString()) {
        case "auto" -> ToolChoice.AUTO;
        case "none" -> ToolChoice.NONE;
        case "required" -> ToolChoice.REQUIRED;
        default ->
            throw RefusedException.invalid("tool_choice", "tool_choice is auto, none or required.");
      };
    }
    if (choice.path("type").asString("").equals("function") && choice.path("name").isString()) {
      return ToolChoice.function(choice.path("name").asString());
    }
    throw RefusedException.unsupported(
        "tool_choice", "Grizz supports tool_choice auto, none, required or one function by name.");
  }
}
