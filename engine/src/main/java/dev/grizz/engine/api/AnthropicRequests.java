package dev.grizz.engine.api;

import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.RequestOptions;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a request of Anthropic's Messages API into the engine's {@link LlmRequest} (its content
 * blocks are {@link AnthropicBlocks}'). A field the engine cannot honour is refused, never dropped,
 * with one exception a Claude Code session sends on every turn: a tool result's {@code is_error}
 * (folded into its text as an {@code Error: } prefix, as the engine's tool results have no such
 * flag). {@code cache_control} and thinking blocks are kept, for an Anthropic upstream.
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
    return parse(body, null);
  }

  /**
   * @param betas the {@code anthropic-beta} header, when sent: its opt-ins go to an Anthropic
   *     upstream as they are (other vendors have no Anthropic features to opt into)
   */
  static Parsed parse(JsonNode body, @Nullable String betas) {
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
      messages.add(AnthropicBlocks.system(system));
    }
    JsonNode turns = body.path("messages");
    if (!turns.isArray() || turns.isEmpty()) {
      throw new InvalidException("messages: must be a non-empty array");
    }
    for (JsonNode turn : turns) {
      AnthropicBlocks.message(turn, messages);
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
        new LlmRequest(model, messages, tools, choice, options.build(), betas(betas)),
        body.path("stream").asBoolean(false));
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
              false,
              AnthropicBlocks.cache(tool, "tools")));
    }
    return specs;
  }

  private static List<String> betas(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(header.split(","))
        .map(String::strip)
        .filter(beta -> !beta.isEmpty())
        .toList();
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

  static String required(JsonNode node, String field) {
    String value = node.path(field).stringValue("");
    if (value.isEmpty()) {
      throw new InvalidException("messages: " + field + " is required");
    }
    return value;
  }

  /** A request the Messages API would take that this engine cannot serve as sent. */
  static final class InvalidException extends RuntimeException {
    InvalidException(String message) {
      super(message);
    }
  }
}
