package dev.grizz.engine.llm.anthropic;

import dev.grizz.engine.llm.CacheControl;
import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.Feature;
import dev.grizz.engine.llm.InvalidRequestException;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the content of a Messages API body: the system prompt, and each message's blocks (text,
 * images, signed and redacted thinking, tool calls and tool results), each with the client's {@code
 * cache_control} where it set one. A signed thinking block goes back exactly as it came (its text
 * and signature), as the API checks them.
 */
final class ContentBlocks {

  private ContentBlocks() {}

  /**
   * The system messages: joined into one string, or, when the client set a caching breakpoint on
   * any of their parts, as text blocks, each with its own.
   */
  static void writeSystem(JsonGenerator json, List<ChatMessage> messages) {
    List<ContentPart.Text> parts = new ArrayList<>();
    boolean cached = false;
    StringBuilder joined = new StringBuilder();
    for (ChatMessage message : messages) {
      if (message.role() == Role.SYSTEM) {
        joined.append(joined.isEmpty() ? "" : "\n\n").append(message.text());
        for (ContentPart part : message.parts()) {
          if (part instanceof ContentPart.Text text) {
            parts.add(text);
            cached |= text.cache() != null;
          }
        }
      }
    }
    if (cached) {
      json.writeArrayPropertyStart("system");
      for (ContentPart.Text text : parts) {
        writeText(json, text);
      }
      json.writeEndArray();
    } else if (!joined.isEmpty()) {
      json.writeStringProperty("system", joined.toString());
    }
  }

  /** A message's blocks: a tool result, or its parts and then its tool calls. */
  static void write(JsonGenerator json, ChatMessage message) {
    if (message.role() == Role.TOOL) {
      writeResult(json, message);
      return;
    }
    for (ContentPart part : message.parts()) {
      switch (part) {
        case ContentPart.Text text -> writeText(json, text);
        case ContentPart.Image image -> writeImage(json, image);
        case ContentPart.Thinking thinking -> {
          json.writeStartObject();
          json.writeStringProperty("type", "thinking");
          json.writeStringProperty("thinking", thinking.text());
          json.writeStringProperty("signature", thinking.signature());
          json.writeEndObject();
        }
        case ContentPart.RedactedThinking redacted -> {
          json.writeStartObject();
          json.writeStringProperty("type", "redacted_thinking");
          json.writeStringProperty("data", redacted.data());
          json.writeEndObject();
        }
      }
    }
    for (ToolCall call : message.toolCalls()) {
      json.writeStartObject();
      json.writeStringProperty("type", "tool_use");
      json.writeStringProperty("id", call.id());
      json.writeStringProperty("name", call.name());
      json.writeName("input");
      json.writeTree(arguments(call));
      writeCache(json, call.cache());
      json.writeEndObject();
    }
  }

  /**
   * A {@code tool_result} block: its content a string, or text blocks when the client set caching
   * breakpoints inside it; the result's own breakpoint on the block.
   */
  private static void writeResult(JsonGenerator json, ChatMessage message) {
    json.writeStartObject();
    json.writeStringProperty("type", "tool_result");
    json.writeStringProperty("tool_use_id", message.toolCallId());
    boolean blocks =
        message.parts().stream()
            .anyMatch(part -> part instanceof ContentPart.Text text && text.cache() != null);
    if (blocks) {
      json.writeArrayPropertyStart("content");
      for (ContentPart part : message.parts()) {
        if (part instanceof ContentPart.Text text) {
          writeText(json, text);
        }
      }
      json.writeEndArray();
    } else {
      json.writeStringProperty("content", message.text());
    }
    writeCache(json, message.cache());
    json.writeEndObject();
  }

  private static void writeText(JsonGenerator json, ContentPart.Text text) {
    json.writeStartObject();
    json.writeStringProperty("type", "text");
    json.writeStringProperty("text", text.text());
    writeCache(json, text.cache());
    json.writeEndObject();
  }

  private static void writeImage(JsonGenerator json, ContentPart.Image image) {
    json.writeStartObject();
    json.writeStringProperty("type", "image");
    json.writeObjectPropertyStart("source");
    if (image.inline()) {
      json.writeStringProperty("type", "base64");
      json.writeStringProperty("media_type", image.mediaType());
      json.writeStringProperty("data", image.base64());
    } else {
      json.writeStringProperty("type", "url");
      json.writeStringProperty("url", image.url());
    }
    json.writeEndObject();
    writeCache(json, image.cache());
    json.writeEndObject();
  }

  /** {@code cache_control}, when the client set it here. */
  static void writeCache(JsonGenerator json, @Nullable CacheControl cache) {
    if (cache == null) {
      return;
    }
    json.writeObjectPropertyStart("cache_control");
    json.writeStringProperty("type", "ephemeral");
    if (cache.ttl() != null) {
      json.writeStringProperty("ttl", cache.ttl());
    }
    json.writeEndObject();
  }

  /**
   * @throws InvalidRequestException when the arguments are not a JSON object: the API takes them as
   *     one, and text that is not JSON cannot be sent faithfully
   */
  private static JsonNode arguments(ToolCall call) {
    JsonNode input;
    try {
      input =
          call.arguments().isBlank()
              ? JsonMapper.shared().createObjectNode()
              : JsonMapper.shared().readTree(call.arguments());
    } catch (JacksonException e) {
      input = null;
    }
    if (input == null || !input.isObject()) {
      throw new InvalidRequestException(
          Feature.TOOLS,
          "messages",
          "the arguments of tool call '"
              + call.id()
              + "' are not a JSON object; Anthropic models take a call's input only as one");
    }
    return input;
  }
}
