package dev.grizz.engine.api;

import dev.grizz.engine.llm.ResponseFormat;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads the Chat Completions fields that shape what the model may do: {@code tools} (functions
 * only: OpenAI's {@code custom} tools have no equivalent at other vendors), {@code tool_choice} and
 * {@code response_format}.
 */
final class OpenAiTools {

  private OpenAiTools() {}

  static List<ToolSpec> tools(@Nullable JsonNode tools) {
    if (tools == null || tools.isNull()) {
      return List.of();
    }
    if (!tools.isArray()) {
      throw OpenAiRequests.InvalidException.type("tools", "an array of tools");
    }
    List<ToolSpec> specs = new ArrayList<>();
    for (JsonNode tool : tools) {
      if (!tool.isObject()) {
        throw OpenAiRequests.InvalidException.type("tools", "an array of tool objects");
      }
      String type = Json.string(tool, "type", "tools");
      if (!"function".equals(type)) {
        throw OpenAiRequests.InvalidException.unsupported(
            "tools", "only tools of type 'function' are supported, not '" + type + "'");
      }
      JsonNode function = tool.get("function");
      if (function == null || !function.isObject()) {
        throw OpenAiRequests.InvalidException.type("tools", "function tools with a function");
      }
      String name = Json.string(function, "name", "tools");
      if (name == null) {
        throw new OpenAiRequests.InvalidException("tools", null, "every function needs a name");
      }
      JsonNode parameters = function.get("parameters");
      if (parameters == null || parameters.isNull()) {
        // OpenAI's documented default: a function that takes no arguments.
        parameters =
            JsonNodeFactory.instance
                .objectNode()
                .put("type", "object")
                .set("properties", JsonNodeFactory.instance.objectNode());
      }
      Boolean strict = Json.bool(function, "strict", "tools");
      specs.add(
          new ToolSpec(
              name,
              Json.string(function, "description", "tools"),
              parameters,
              Boolean.TRUE.equals(strict)));
    }
    return specs;
  }

  /**
   * The tool choice; one that requires a call needs tools to call, and a named function must be one
   * of them (as OpenAI checks, so the request fails here rather than at the vendor).
   */
  static ToolChoice choice(@Nullable JsonNode choice, List<ToolSpec> tools) {
    ToolChoice read = choice(choice);
    boolean named =
        read.mode() != ToolChoice.Mode.FUNCTION
            || tools.stream().anyMatch(tool -> tool.name().equals(read.name()));
    if ((read.mode() == ToolChoice.Mode.REQUIRED || read.mode() == ToolChoice.Mode.FUNCTION)
        && tools.isEmpty()) {
      throw new OpenAiRequests.InvalidException(
          "tool_choice", "invalid_value", "a tool_choice that requires a call needs tools");
    }
    if (!named) {
      throw new OpenAiRequests.InvalidException(
          "tool_choice", "invalid_value", "tool_choice names '" + read.name() + "', not in tools");
    }
    return read;
  }

  private static ToolChoice choice(@Nullable JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return ToolChoice.AUTO;
    }
    if (choice.isString()) {
      return switch (choice.asString()) {
        case "auto" -> ToolChoice.AUTO;
        case "none" -> ToolChoice.NONE;
        case "required" -> ToolChoice.REQUIRED;
        default ->
            throw new OpenAiRequests.InvalidException(
                "tool_choice",
                "invalid_value",
                "tool_choice is auto, none, required or a named function");
      };
    }
    if (!choice.isObject()) {
      throw OpenAiRequests.InvalidException.type("tool_choice", "a string or an object");
    }
    String type = Json.string(choice, "type", "tool_choice");
    if (!"function".equals(type)) {
      throw OpenAiRequests.InvalidException.unsupported(
          "tool_choice", "only a tool_choice of type 'function' is supported, not '" + type + "'");
    }
    JsonNode function = choice.path("function");
    String name = function.isObject() ? Json.string(function, "name", "tool_choice") : null;
    if (name == null) {
      throw new OpenAiRequests.InvalidException(
          "tool_choice", null, "a function tool_choice names the function");
    }
    return ToolChoice.function(name);
  }

  static ResponseFormat responseFormat(@Nullable JsonNode format) {
    if (format == null || format.isNull()) {
      return ResponseFormat.TEXT;
    }
    if (!format.isObject()) {
      throw OpenAiRequests.InvalidException.type("response_format", "an object");
    }
    String type = Json.string(format, "type", "response_format");
    if (type == null) {
      throw new OpenAiRequests.InvalidException(
          "response_format", null, "response_format needs a type");
    }
    return switch (type) {
      case "text" -> ResponseFormat.TEXT;
      case "json_object" -> ResponseFormat.JSON_OBJECT;
      case "json_schema" -> jsonSchema(format.get("json_schema"));
      default ->
          throw OpenAiRequests.InvalidException.unsupported(
              "response_format", "response_format is text, json_object or json_schema");
    };
  }

  private static ResponseFormat jsonSchema(@Nullable JsonNode spec) {
    if (spec == null || !spec.isObject()) {
      throw OpenAiRequests.InvalidException.type(
          "response_format", "an object with a json_schema object");
    }
    String name = Json.string(spec, "name", "response_format");
    if (name == null) {
      throw new OpenAiRequests.InvalidException(
          "response_format", null, "a json_schema response format has a name");
    }
    if (Json.string(spec, "description", "response_format") != null) {
      // No vendor but OpenAI has a place for it; refused rather than dropped unseen.
      throw OpenAiRequests.InvalidException.unsupported(
          "response_format", "a json_schema description is not supported; put it in the schema");
    }
    JsonNode schema = spec.get("schema");
    if (schema == null || schema.isNull()) {
      // OpenAI's default: any JSON object.
      schema = JsonNodeFactory.instance.objectNode().put("type", "object");
    }
    Boolean strict = Json.bool(spec, "strict", "response_format");
    return ResponseFormat.jsonSchema(name, schema, Boolean.TRUE.equals(strict));
  }
}
