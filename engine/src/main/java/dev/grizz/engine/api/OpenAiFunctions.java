package dev.grizz.engine.api;

import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.ToolSpec;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Chat Completions' deprecated function calling, still sent by older clients: {@code functions} and
 * {@code function_call} in the request are read as the tools and tool choice they name, an
 * assistant message's {@code function_call} as its one tool call and a {@code function} message
 * (named after the function it answers) as that call's result. A request that used them is answered
 * in their shape ({@link OpenAiChunks}). Legacy calls have no ids, so each gets one made from its
 * message's place ({@code call_fn3} for {@code messages[3]}); a function result answers the latest
 * call of its function before it.
 */
final class OpenAiFunctions {

  private OpenAiFunctions() {}

  /** Whether the request uses the legacy form. */
  static boolean used(JsonNode body) {
    return body.hasNonNull("functions") || body.hasNonNull("function_call");
  }

  /**
   * {@code functions} as tools, refused alongside {@code tools} (two lists of what the model may
   * call, and no rule for which wins) and {@code function_call} alongside {@code tool_choice}.
   */
  static List<ToolSpec> tools(JsonNode body) {
    if (body.hasNonNull("tools") && body.hasNonNull("functions")) {
      throw OpenAiRequests.InvalidException.unsupported(
          "functions", "send functions or tools, not both (functions is the deprecated form)");
    }
    if (body.hasNonNull("function_call")
        && (body.hasNonNull("tool_choice") || body.hasNonNull("tools"))) {
      throw OpenAiRequests.InvalidException.unsupported(
          "function_call", "function_call goes with functions; with tools send tool_choice");
    }
    if (body.hasNonNull("tool_choice")) {
      throw OpenAiRequests.InvalidException.unsupported(
          "tool_choice", "tool_choice goes with tools; with functions send function_call");
    }
    JsonNode functions = body.get("functions");
    if (functions == null || functions.isNull()) {
      return List.of();
    }
    if (!functions.isArray()) {
      throw OpenAiRequests.InvalidException.type("functions", "an array of functions");
    }
    // Each function is what a tool's "function" holds: the tools reader checks it the same way.
    var wrapped = JsonNodeFactory.instance.arrayNode();
    for (JsonNode function : functions) {
      ObjectNode tool = wrapped.addObject().put("type", "function");
      tool.set("function", function);
    }
    try {
      return OpenAiTools.tools(wrapped);
    } catch (OpenAiRequests.InvalidException e) {
      throw new OpenAiRequests.InvalidException(
          "functions", e.code, e.getMessage().replace("tools", "functions"));
    }
  }

  /** {@code function_call}: {@code none}, {@code auto} or {@code {"name": …}}, one of functions. */
  static ToolChoice choice(@Nullable JsonNode call, List<ToolSpec> functions) {
    if (call == null || call.isNull()) {
      return ToolChoice.AUTO;
    }
    ToolChoice choice;
    if (call.isString() && call.asString().equals("auto")) {
      choice = ToolChoice.AUTO;
    } else if (call.isString() && call.asString().equals("none")) {
      choice = ToolChoice.NONE;
    } else if (call.isObject() && call.path("name").isString()) {
      String name = call.path("name").asString();
      if (functions.stream().noneMatch(function -> function.name().equals(name))) {
        throw new OpenAiRequests.InvalidException(
            "function_call",
            "invalid_value",
            "function_call names '" + name + "', not in functions");
      }
      choice = ToolChoice.function(name);
    } else {
      throw new OpenAiRequests.InvalidException(
          "function_call",
          "invalid_value",
          "function_call is \"auto\", \"none\" or {\"name\": a function's name}");
    }
    return choice;
  }

  /** The id of the legacy call made by the assistant message at {@code index}. */
  static String callId(int index) {
    return "call_fn" + index;
  }

  /** An assistant message's {@code function_call}, as its one tool call. */
  static ToolCall call(JsonNode message, String at, int index) {
    if (message.hasNonNull("tool_calls")) {
      throw OpenAiRequests.InvalidException.unsupported(
          at + ".function_call", "send function_call or tool_calls, not both");
    }
    JsonNode call = message.get("function_call");
    String name = call.isObject() ? Json.string(call, "name", at + ".function_call.name") : null;
    if (name == null) {
      throw new OpenAiRequests.InvalidException(
          at + ".function_call", null, "a function_call has a name and arguments");
    }
    String arguments = Json.string(call, "arguments", at + ".function_call.arguments");
    return new ToolCall(callId(index), name, arguments == null ? "" : arguments);
  }

  /**
   * A {@code function} message: the result of the latest call of the function it names, which
   * {@code calls} holds by name.
   */
  static LlmRequest.ChatMessage result(
      JsonNode message, String at, Map<String, String> calls, List<ContentPart> parts) {
    String name = Json.string(message, "name", at + ".name");
    if (name == null) {
      throw new OpenAiRequests.InvalidException(
          at + ".name", null, "a function message names the function it answers");
    }
    String callId = calls.get(name);
    if (callId == null) {
      throw new OpenAiRequests.InvalidException(
          at + ".name",
          "invalid_value",
          "a function message answers an earlier assistant function_call of '" + name + "'");
    }
    return new LlmRequest.ChatMessage(LlmRequest.Role.TOOL, parts, List.of(), callId);
  }
}
