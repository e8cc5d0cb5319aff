package dev.grizz.engine.responses;

import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.ToolSpec;
import dev.grizz.engine.responses.ResponsesErrors.RefusedException;
import dev.grizz.engine.tool.Tool;
import dev.grizz.engine.tool.ToolDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * A Responses request's {@code tools} and {@code tool_choice}. A function tool's name, description,
 * parameters and {@code strict} sit on the tool object itself (Chat Completions nests them under
 * {@code function}). A tool whose type names one of the engine's tools the caller may use ({@code
 * {"type": "current_time"}}, as OpenAI's hosted tools are named) is a server tool: offered to the
 * model with the engine's schema and run by the engine ({@code DirectToolLoop}). A tool that waits
 * for a user's approval cannot run so (nobody is there to approve it) and is refused, as is any
 * other type (OpenAI's own hosted tools among them).
 */
final class ResponsesTools {

  /** The function tool's fields; any other one (defer_loading, output_schema) is refused. */
  private static final Set<String> TOOL_FIELDS =
      Set.of("type", "name", "description", "parameters", "strict");

  private ResponsesTools() {}

  /** The engine's tools the caller may name, and which of them wait for a user's approval. */
  record EngineTools(List<Tool> available, Predicate<ToolDefinition> needsApproval) {

    static final EngineTools NONE = new EngineTools(List.of(), definition -> false);

    EngineTools {
      available = List.copyOf(available);
    }
  }

  /** What the model is offered (every tool's spec) and which of those tools the engine runs. */
  record Offered(List<ToolSpec> specs, List<Tool> server) {}

  static Offered tools(JsonNode tools, EngineTools engine) {
    if (tools.isMissingNode() || tools.isNull()) {
      return new Offered(List.of(), List.of());
    }
    if (!tools.isArray()) {
      throw RefusedException.invalid("tools", "tools must be an array.");
    }
    List<ToolSpec> specs = new ArrayList<>();
    List<Tool> server = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode tool : tools) {
      String type = tool.path("type").asString("");
      if (!type.equals("function")) {
        Tool found = serverTool(type, tool, engine);
        server.add(found);
        specs.add(named(names, found.definition().spec()));
        continue;
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
          named(
              names,
              new ToolSpec(
                  tool.path("name").asString(""),
                  description.isString() ? description.asString() : null,
                  parameters,
                  strict.isMissingNode() || strict.isNull() || strict.asBoolean())));
    }
    return new Offered(specs, server);
  }

  private static Tool serverTool(String type, JsonNode tool, EngineTools engine) {
    Tool found =
        engine.available().stream()
            .filter(candidate -> candidate.definition().name().equals(type))
            .findFirst()
            .orElseThrow(
                () ->
                    RefusedException.unsupported(
                        "tools",
                        "Grizz has no tool of type '"
                            + type
                            + "': a tool is a function (run by the caller) or one of the engine's"
                            + " tools ("
                            + String.join(
                                ", ",
                                engine.available().stream()
                                    .map(t -> t.definition().name())
                                    .toList())
                            + "); OpenAI's hosted tools (web_search, file_search, ...) run at"
                            + " OpenAI."));
    if (engine.needsApproval().test(found.definition())) {
      throw RefusedException.unsupported(
          "tools",
          "The tool '"
              + type
              + "' waits for a user's approval, which nobody can give through /v1: it cannot be"
              + " used here.");
    }
    for (String field : tool.propertyNames()) {
      if (!field.equals("type") && !tool.get(field).isNull()) {
        throw RefusedException.unsupported(
            "tools", "The engine's tool '" + type + "' takes no '" + field + "'.");
      }
    }
    return found;
  }

  private static ToolSpec named(Set<String> names, ToolSpec spec) {
    if (!names.add(spec.name())) {
      throw RefusedException.invalid("tools", "two tools are named '" + spec.name() + "'.");
    }
    return spec;
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
