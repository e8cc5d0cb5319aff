package dev.grizz.engine.api;

import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.llm.Usage;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An answer in Anthropic's Messages shapes: the whole {@code message} object, and the server-sent
 * events of a streamed one ({@code message_start}, each content block's start, deltas and stop,
 * {@code message_delta} with the stop reason and usage, {@code message_stop}).
 */
final class AnthropicEvents {

  private final JsonMapper json;
  private final String id;

  AnthropicEvents(JsonMapper json, String id) {
    this.json = json;
    this.id = id;
  }

  /**
   * Anthropic's stop reason for how the answer ended: a content filter is a {@code refusal}; null
   * for a failure, which is an error instead.
   */
  static @Nullable String stopReason(LlmOutcome outcome) {
    return switch (outcome) {
      case LlmOutcome.Completed done ->
          switch (done.reason()) {
            case STOP -> done.stopSequence() != null ? "stop_sequence" : "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
          };
      case LlmOutcome.Cancelled cancelled -> "end_turn";
      case LlmOutcome.Failed failed ->
          failed.code().equals(ErrorCode.CONTENT_FILTERED) ? "refusal" : null;
    };
  }

  /** The stop sequence that ended the answer, when the vendor said which. */
  static @Nullable String stopSequence(LlmOutcome outcome) {
    return outcome instanceof LlmOutcome.Completed done ? done.stopSequence() : null;
  }

  /** The whole message of a non-streamed answer. */
  String whole(String model, Completion completion, String stopReason) {
    ObjectNode message = message(model);
    ArrayNode content = message.putArray("content");
    for (ContentPart block : completion.thinking()) {
      content.add(thinkingBlock(block));
    }
    if (completion.thinking().isEmpty() && !completion.reasoning().isEmpty()) {
      // Another vendor's reasoning: unsigned, as no Anthropic model wrote it.
      content
          .addObject()
          .put("type", "thinking")
          .put("thinking", completion.reasoning())
          .put("signature", "");
    }
    if (!completion.text().isEmpty()) {
      content.addObject().put("type", "text").put("text", completion.text());
    }
    for (ToolCall call : completion.toolCalls()) {
      content
          .addObject()
          .put("type", "tool_use")
          .put("id", call.id())
          .put("name", call.name())
          .set("input", input(call.arguments()));
    }
    message.put("stop_reason", stopReason);
    message.put("stop_sequence", stopSequence(completion.outcome()));
    message.set("usage", usage(completion.usage()));
    return json.writeValueAsString(message);
  }

  /**
   * A call's input as the object the model wrote; arguments that are not a JSON object (a model
   * behind another vendor may write broken JSON) go as the string they are, not repaired or lost.
   */
  private JsonNode input(String arguments) {
    try {
      JsonNode input = arguments.isBlank() ? json.createObjectNode() : json.readTree(arguments);
      if (input.isObject()) {
        return input;
      }
    } catch (JacksonException notJson) {
      // as written, below
    }
    return json.getNodeFactory().stringNode(arguments);
  }

  private ObjectNode message(String model) {
    ObjectNode message = json.createObjectNode();
    message.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
    return message;
  }

  /** A signed thinking block, or a redacted one, as the upstream sent it. */
  private ObjectNode thinkingBlock(ContentPart block) {
    ObjectNode node = json.createObjectNode();
    if (block instanceof ContentPart.Thinking thinking) {
      node.put("type", "thinking")
          .put("thinking", thinking.text())
          .put("signature", thinking.signature());
    } else if (block instanceof ContentPart.RedactedThinking redacted) {
      node.put("type", "redacted_thinking").put("data", redacted.data());
    }
    return node;
  }

  /**
   * The usage object: Anthropic counts cache reads and writes apart from the other input tokens.
   */
  private ObjectNode usage(Usage usage) {
    ObjectNode node = json.createObjectNode();
    int prompt = usage.promptTokens() == null ? 0 : usage.promptTokens();
    Integer cached = usage.cachedPromptTokens();
    Integer written = usage.cacheWriteTokens();
    node.put(
        "input_tokens", prompt - (cached == null ? 0 : cached) - (written == null ? 0 : written));
    if (written != null) {
      node.put("cache_creation_input_tokens", written);
    }
    if (cached != null) {
      node.put("cache_read_input_tokens", cached);
    }
    node.put("output_tokens", usage.completionTokens() == null ? 0 : usage.completionTokens());
    return node;
  }

  String messageStart(String model, int inputTokens) {
    ObjectNode message = message(model);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", 0);
    ObjectNode event = event("message_start");
    event.set("message", message);
    return frame(event);
  }

  String textStart(int index) {
    return blockStart(index, json.createObjectNode().put("type", "text").put("text", ""));
  }

  String thinkingStart(int index) {
    return blockStart(
        index,
        json.createObjectNode().put("type", "thinking").put("thinking", "").put("signature", ""));
  }

  String toolUseStart(int index, String callId, String name) {
    ObjectNode block =
        json.createObjectNode().put("type", "tool_use").put("id", callId).put("name", name);
    block.putObject("input");
    return blockStart(index, block);
  }

  private String blockStart(int index, ObjectNode block) {
    ObjectNode event = event("content_block_start").put("index", index);
    event.set("content_block", block);
    return frame(event);
  }

  String textDelta(int index, String text) {
    return delta(index, json.createObjectNode().put("type", "text_delta").put("text", text));
  }

  String thinkingDelta(int index, String thinking) {
    return delta(
        index, json.createObjectNode().put("type", "thinking_delta").put("thinking", thinking));
  }

  String signatureDelta(int index, String signature) {
    return delta(
        index, json.createObjectNode().put("type", "signature_delta").put("signature", signature));
  }

  /** A redacted thinking block, whole in its start, as the API streams one. */
  String redactedThinkingStart(int index, String data) {
    return blockStart(
        index, json.createObjectNode().put("type", "redacted_thinking").put("data", data));
  }

  String inputJsonDelta(int index, String partialJson) {
    return delta(
        index,
        json.createObjectNode().put("type", "input_json_delta").put("partial_json", partialJson));
  }

  private String delta(int index, ObjectNode delta) {
    ObjectNode event = event("content_block_delta").put("index", index);
    event.set("delta", delta);
    return frame(event);
  }

  String blockStop(int index) {
    return frame(event("content_block_stop").put("index", index));
  }

  /** The stop reason and the final usage (input counts included, which the API now sends here). */
  String messageDelta(String stopReason, @Nullable String stopSequence, Usage usage) {
    ObjectNode event = event("message_delta");
    event.putObject("delta").put("stop_reason", stopReason).put("stop_sequence", stopSequence);
    event.set("usage", usage(usage));
    return frame(event);
  }

  String messageStop() {
    return frame(event("message_stop"));
  }

  /** An error after the stream began, as the API sends one mid-stream. */
  String error(int status, String message) {
    ObjectNode event = event("error");
    event
        .putObject("error")
        .put("type", dev.grizz.engine.security.FilterErrors.anthropicType(status))
        .put("message", message);
    return frame(event);
  }

  private ObjectNode event(String type) {
    return json.createObjectNode().put("type", type);
  }

  private String frame(ObjectNode event) {
    return "event: "
        + event.path("type").stringValue("")
        + "\ndata: "
        + json.writeValueAsString(event)
        + "\n\n";
  }
}
