package dev.grizz.engine.api;

import static dev.grizz.engine.api.AnthropicRequests.required;

import dev.grizz.engine.api.AnthropicRequests.InvalidException;
import dev.grizz.engine.llm.CacheControl;
import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the content of a Messages API request: the system prompt and each message's blocks.
 *
 * <p>An assistant's {@code thinking} blocks (with their {@code signature}) and {@code
 * redacted_thinking} blocks ({@code data}) are kept as they came, to go back to an Anthropic
 * upstream unchanged, as the API wants in the turn that carries tool results; other vendors are not
 * sent them. A thinking block without a signature was never signed (a model behind another vendor
 * wrote it): no vendor can take it back, so it is not kept, as the API itself ignores the thinking
 * of earlier turns.
 *
 * <p>{@code cache_control} is kept where the client set it (system and message blocks; tools are
 * {@link AnthropicRequests}'), for an Anthropic upstream; other vendors' adapters leave it out.
 */
final class AnthropicBlocks {

  private AnthropicBlocks() {}

  /** The system prompt: a string, or text blocks (kept apart when any sets a cache breakpoint). */
  static ChatMessage system(JsonNode system) {
    if (system.isArray() && hasCache(system)) {
      return new ChatMessage(Role.SYSTEM, List.copyOf(texts(system, "system")), List.of(), null);
    }
    return new ChatMessage(Role.SYSTEM, text(system, "system"));
  }

  static void message(JsonNode turn, List<ChatMessage> messages) {
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
          case "text" -> parts.add(text(block));
          case "tool_use" ->
              calls.add(
                  new ToolCall(
                      required(block, "id"),
                      required(block, "name"),
                      block.path("input").toString(),
                      cache(block, "messages")));
          case "thinking" -> {
            noCache(block);
            String signature = block.path("signature").stringValue("");
            if (!signature.isEmpty()) {
              parts.add(
                  new ContentPart.Thinking(block.path("thinking").stringValue(""), signature));
            }
          }
          case "redacted_thinking" -> {
            noCache(block);
            parts.add(new ContentPart.RedactedThinking(required(block, "data")));
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
          case "text" -> parts.add(text(block));
          case "image" -> parts.add(image(block));
          case "tool_result" -> messages.add(result(block));
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

  /**
   * A tool result; {@code is_error} becomes an {@code Error: } prefix. Its text blocks stay apart
   * when one sets a cache breakpoint, so the breakpoint goes back where it was.
   */
  private static ChatMessage result(JsonNode block) {
    JsonNode content = block.path("content");
    String prefix = block.path("is_error").asBoolean(false) ? "Error: " : "";
    List<ContentPart> parts;
    if (content.isArray() && hasCache(content)) {
      parts = new ArrayList<>(texts(content, "tool_result.content"));
      if (!prefix.isEmpty()) {
        parts.addFirst(new ContentPart.Text(prefix));
      }
    } else {
      parts = List.of(new ContentPart.Text(prefix + text(content, "tool_result.content")));
    }
    return new ChatMessage(
        Role.TOOL, parts, List.of(), required(block, "tool_use_id"), cache(block, "messages"));
  }

  private static JsonNode blocks(JsonNode content) {
    if (!content.isArray()) {
      throw new InvalidException("messages: content is a string or an array of content blocks");
    }
    return content;
  }

  private static ContentPart.Text text(JsonNode block) {
    return new ContentPart.Text(block.path("text").stringValue(""), cache(block, "messages"));
  }

  private static ContentPart.Image image(JsonNode block) {
    JsonNode source = block.path("source");
    CacheControl cache = cache(block, "messages");
    return switch (source.path("type").stringValue("")) {
      case "base64" ->
          new ContentPart.Image(
              "data:" + required(source, "media_type") + ";base64," + required(source, "data"),
              null,
              cache);
      case "url" -> new ContentPart.Image(required(source, "url"), null, cache);
      default -> throw new InvalidException("messages: an image's source is base64 or url");
    };
  }

  /** A string, or the text blocks of an array (system prompts, tool results), joined. */
  private static String text(JsonNode content, String field) {
    if (content.isString()) {
      return content.stringValue();
    }
    if (content.isMissingNode() || content.isNull()) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (ContentPart.Text block : texts(content, field)) {
      text.append(text.isEmpty() ? "" : "\n\n").append(block.text());
    }
    return text.toString();
  }

  /** The text blocks of an array, each with its cache breakpoint. */
  private static List<ContentPart.Text> texts(JsonNode content, String field) {
    if (!content.isArray()) {
      throw new InvalidException(field + ": a string or an array of text blocks");
    }
    List<ContentPart.Text> texts = new ArrayList<>();
    for (JsonNode block : content) {
      if (!"text".equals(block.path("type").stringValue(""))) {
        throw new InvalidException(
            field + ": only text blocks are supported here, not " + block.path("type"));
      }
      texts.add(new ContentPart.Text(block.path("text").stringValue(""), cache(block, field)));
    }
    return texts;
  }

  private static boolean hasCache(JsonNode blocks) {
    for (JsonNode block : blocks) {
      if (block.hasNonNull("cache_control")) {
        return true;
      }
    }
    return false;
  }

  /** A block's {@code cache_control} ({@link CacheControl#read}), refused naming the field. */
  static @Nullable CacheControl cache(JsonNode block, String field) {
    try {
      return CacheControl.read(block.path("cache_control"));
    } catch (IllegalArgumentException e) {
      throw new InvalidException(field + ": " + e.getMessage());
    }
  }

  /** Thinking blocks take no cache breakpoint (the API refuses one there too). */
  private static void noCache(JsonNode block) {
    if (block.hasNonNull("cache_control")) {
      throw new InvalidException(
          "messages: cache_control cannot be set on a thinking block; set it on a later block");
    }
  }

  private static void unsupported(JsonNode block) {
    throw new InvalidException(
        "messages: content blocks of type '"
            + block.path("type").stringValue("")
            + "' are not supported");
  }
}
