package dev.grizz.engine.api;

import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.RequestOptions;
import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a request of Anthropic's Messages API into the engine's {@link LlmRequest}. A field the
 * engine cannot honour is refused, never dropped, with three exceptions a Claude Code session sends
 * on every turn: {@code cache_control} (a prompt-caching hint: the engine's adapters do not forward
 * it, so the answer is the same, only not cached), thinking blocks in the history (their signatures
 * are not kept, so they cannot be sent back; the API itself ignores those of earlier turns), and a
 * tool result's {@code is_error} (folded into its text as an {@code Error: } prefix, as the
 * engine's tool results have no such flag).
 */
final class AnthropicRequests {

  private static final Set<String> FIELDS =
      Set.of(
          "model",
          "messages",
          "system",
          "max_tokens",
          "metadata",
          "stop_sequences",
          "stream",
          "temperature",
          "top_p",
          "top_k",
          "tools",
          "tool_choice",
          "thinking");

  private AnthropicRequests() {}

  record Parsed(LlmRequest request, boolean stream) {}

  static Parsed parse(JsonNode body) {
    if (!body.isObject()) {
      throw new InvalidException("the body must be a JSON object");
    }
    for (String field : body.propertyNames()) {
      if (!FIELDS.contains(field)) {
        throw new InvalidException(field + ": this field is not supported");
      }
    }
    String model = body.path("model").stringValue("");
    if (model.isBlank()) {
      throw new InvalidException("model: Field required");
    }
    JsonNode maxTokens = body.path("max_tokens");
    if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt() || maxTokens.intValue() < 1) {
      throw new InvalidException("max_tokens: Field required, a whole number of at least 1");
    }
    List<ChatMessage> messages = new ArrayList<>();
    JsonNode system = body.path("system");
    if (!system.isMissingNode() && !system.isNull()) {
      messages.add(new ChatMessage(Role.SYSTEM, text(system, "system")));
    }
    JsonNode turns = body.path("messages");
    if (!turns.isArray() || turns.isEmpty()) {
      throw new InvalidException("messages: must be a non-empty array");
    }
    for (JsonNode turn : turns) {
      message(turn, messages);
    }
    RequestOptions.Builder options =
        RequestOptions.builder()
            .maxOutputTokens(maxTokens.intValue())
            .temperature(number(body, "temperature", 1))
            .topP(number(body, "top_p", 1))
            .topK(whole(body, "top_k"))
            .stop(strings(body.path("stop_sequences")))
            .user(body.path("metadata").path("user_id").stringValue(null));
    thinking(body.path("thinking"), options);
    List<ToolSpec> tools = tools(body.path("tools"));
    ToolChoice choice = toolChoice(body.path("tool_choice"), options);
    return new Parsed(
        new LlmRequest(model, messages, tools, choice, options.build()),
        body.path("stream").asBoolean(false));
  }

  private static void message(JsonNode turn, List<ChatMessage> messages) {
    String role = turn.path("role").stringValue("");
    JsonNode content = turn.path("content");
    if (role.equals("assistant")) {
      if (content.isString()) {
        messages.add(ChatMessage.assistant(content.stringValue(), List.of()));
        return;
      }
      List<ContentPart> parts = new ArrayList<>();
      List<ToolCall> calls = new ArrayList<>();
      for (JsonNode block : blocks(content)) {
        switch (block.path("type").stringValue("")) {
          case "text" -> parts.add(new ContentPart.Text(block.path("text").stringValue("")));
          case "tool_use" ->
              calls.add(
                  new ToolCall(
                      required(block, "id"),
                      required(block, "name"),
                      block.path("input").toString()));
          case "thinking", "redacted_thinking" -> {
            // not kept: see the class comment
          }
          default -> unsupported(block);
        }
      }
      messages.add(new ChatMessage(Role.ASSISTANT, parts, calls, null));
    } else if (role.equals("user")) {
      if (content.isString()) {
        messages.add(new ChatMessage(Role.USER, content.stringValue()));
        return;
      }
      List<ContentPart> parts = new ArrayList<>();
      for (JsonNode block : blocks(content)) {
        switch (block.path("type").stringValue("")) {
          case "text" -> parts.add(new ContentPart.Text(block.path("text").stringValue("")));
          case "image" -> parts.add(image(block.path("source")));
          case "tool_result" -> {
            String result = text(block.path("content"), "tool_result.content");
            if (block.path("is_error").asBoolean(false)) {
              result = "Error: " + result;
            }
            messages.add(ChatMessage.toolResult(required(block, "tool_use_id"), result));
          }
          default -> unsupported(block);
        }
      }
      if (!parts.isEmpty()) {
        messages.add(new ChatMessage(Role.USER, parts, List.of(), null));
      }
    } else {
      throw new InvalidException("messages: each message's role is user or assistant");
    }
  }

  private static JsonNode blocks(JsonNode content) {
    if (!content.isArray()) {
      throw new InvalidException("messages: content is a string or an array of content blocks");
    }
    return content;
  }

  private static ContentPart.Image image(JsonNode source) {
    return switch (source.path("type").stringValue("")) {
      case "base64" ->
          new ContentPart.Image(
              "data:" + required(source, "media_type") + ";base64," + required(source, "data"),
              null);
      case "url" -> new ContentPart.Image(required(source, "url"), null);
      default -> throw new InvalidException("messages: an image's source is base64 or url");
    };
  }

  /** A string, or the text blocks of an array (system prompts, tool results). */
  private static String text(JsonNode content, String field) {
    if (content.isString()) {
      return content.stringValue();
    }
    if (content.isMissingNode() || content.isNull()) {
      return "";
    }
    if (!content.isArray()) {
      throw new InvalidException(field + ": a string or an array of text blocks");
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      if (!"text".equals(block.path("type").stringValue(""))) {
        throw new InvalidException(
            field + ": only text blocks are supported here, not " + block.path("type"));
      }
      text.append(text.isEmpty() ? "" : "\n\n").append(block.path("text").stringValue(""));
    }
    return text.toString();
  }

  private static List<ToolSpec> tools(JsonNode tools) {
    if (tools.isMissingNode() || tools.isNull()) {
      return List.of();
    }
    if (!tools.isArray()) {
      throw new InvalidException("tools: must be an array");
    }
    List<ToolSpec> specs = new ArrayList<>();
    for (JsonNode tool : tools) {
      String type = tool.path("type").stringValue("custom");
      if (!type.equals("custom")) {
        throw new InvalidException("tools: the server tool '" + type + "' is not supported");
      }
      specs.add(
          new ToolSpec(
              required(tool, "name"),
              tool.path("description").stringValue(null),
              tool.path("input_schema"),
              false));
    }
    return specs;
  }

  private static ToolChoice toolChoice(JsonNode choice, RequestOptions.Builder options) {
    if (choice.isMissingNode() || choice.isNull()) {
      return ToolChoice.AUTO;
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      options.parallelToolCalls(false);
    }
    return switch (choice.path("type").stringValue("")) {
      case "auto" -> ToolChoice.AUTO;
      case "any" -> ToolChoice.REQUIRED;
      case "none" -> ToolChoice.NONE;
      case "tool" -> ToolChoice.function(required(choice, "name"));
      default -> throw new InvalidException("tool_choice: type is auto, any, tool or none");
    };
  }

  private static void thinking(JsonNode thinking, RequestOptions.Builder options) {
    if (thinking.isMissingNode() || thinking.isNull()) {
      return;
    }
    switch (thinking.path("type").stringValue("")) {
      case "enabled" -> {
        JsonNode budget = thinking.path("budget_tokens");
        if (!budget.isIntegralNumber() || !budget.canConvertToInt()) {
          throw new InvalidException("thinking.budget_tokens: Field required");
        }
        options.thinkingBudget(budget.intValue());
      }
      case "disabled" -> {
        // the default
      }
      default -> throw new InvalidException("thinking: type is enabled or disabled");
    }
  }

  private static @Nullable Double number(JsonNode body, String field, double max) {
    JsonNode value = body.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > max) {
      throw new InvalidException(field + ": must be a number between 0 and " + (int) max);
    }
    return value.doubleValue();
  }

  private static @Nullable Integer whole(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new InvalidException(field + ": must be a whole number");
    }
    return value.intValue();
  }

  private static List<String> strings(JsonNode array) {
    if (array.isMissingNode() || array.isNull()) {
      return List.of();
    }
    List<String> strings = new ArrayList<>();
    for (JsonNode item : array) {
      if (!item.isString()) {
        throw new InvalidException("stop_sequences: must be an array of strings");
      }
      strings.add(item.stringValue());
    }
    return strings;
  }

  private static String required(JsonNode node, String field) {
    String value = node.path(field).stringValue("");
    if (value.isEmpty()) {
      throw new InvalidException("messages: " + field + " is required");
    }
    return value;
  }

  private static void unsupported(JsonNode block) {
    throw new InvalidException(
        "messages: content blocks of type '"
            + block.path("type").stringValue("")
            + "' are not supported");
  }

  /** A request the Messages API would take that this engine cannot serve as sent. */
  static final class InvalidException extends RuntimeException {
    InvalidException(String message) {
      super(message);
    }
  }
}
