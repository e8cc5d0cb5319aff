package dev.grizz.engine.api;

import dev.grizz.engine.llm.CacheControl;
import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.ToolCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the {@code messages} of a Chat Completions request: {@code system} and {@code developer}
 * (one role here), {@code user} with text and {@code image_url} parts, {@code assistant} with text
 * and {@code tool_calls}, and {@code tool} results; the deprecated {@code function_call} of an
 * assistant and {@code function} results are {@link OpenAiFunctions}'. Errors name the message,
 * {@code messages[2]}, so a client can find it.
 */
final class OpenAiMessages {

  /**
   * Keys of an assistant message that clients echo back from our own answer (the openai SDK's
   * {@code runTools} pushes the message it got into the next request) and that carry nothing the
   * model needs: {@code refusal} and {@code annotations} (OpenAI's), {@code parsed} (the SDK's own
   * parse result), {@code reasoning_content} (the reasoning we relayed; vendors take no thoughts
   * back through Chat Completions), {@code audio} when null.
   */
  private static final Set<String> ECHOED =
      Set.of("refusal", "annotations", "parsed", "reasoning_content", "audio");

  private static final Set<String> KEYS = Set.of("role", "content", "tool_calls", "tool_call_id");

  private OpenAiMessages() {}

  static List<LlmRequest.ChatMessage> parse(JsonNode messages) {
    if (!messages.isArray() || messages.isEmpty()) {
      throw new OpenAiRequests.InvalidException(
          "messages", null, "messages must be a non-empty array");
    }
    List<LlmRequest.ChatMessage> parsed = new ArrayList<>(messages.size());
    // The id of the latest legacy function_call of each function, for the function results.
    Map<String, String> functionCalls = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      String at = "messages[" + i + "]";
      JsonNode message = messages.get(i);
      LlmRequest.ChatMessage read;
      if (message.isObject() && "function".equals(message.path("role").asString(""))) {
        checkKeys(message, "function", at);
        read =
            OpenAiFunctions.result(
                message, at, functionCalls, parts(message.get("content"), at, false));
      } else {
        read = message(message, at, i);
      }
      for (ToolCall call : read.toolCalls()) {
        if (call.id().equals(OpenAiFunctions.callId(i))) {
          functionCalls.put(call.name(), call.id());
        }
      }
      parsed.add(read);
    }
    return parsed;
  }

  private static void checkKeys(JsonNode message, String role, String at) {
    for (String key : message.propertyNames()) {
      boolean echoed =
          role.equals("assistant")
              && ECHOED.contains(key)
              && (!key.equals("audio") || message.get(key).isNull());
      boolean legacy =
          (role.equals("assistant") && key.equals("function_call"))
              || (role.equals("function") && key.equals("name"));
      if (!KEYS.contains(key) && !echoed && !legacy && !message.get(key).isNull()) {
        throw OpenAiRequests.InvalidException.unsupported(
            at + "." + key, "'" + key + "' on a message is not supported");
      }
    }
  }

  private static LlmRequest.ChatMessage message(JsonNode message, String at, int index) {
    if (!message.isObject()) {
      throw OpenAiRequests.InvalidException.type(at, "an object");
    }
    String role = Json.string(message, "role", at + ".role");
    if (role == null) {
      throw new OpenAiRequests.InvalidException(at + ".role", null, "each message needs a role");
    }
    checkKeys(message, role, at);
    return switch (role) {
      case "system", "developer" ->
          plain(LlmRequest.Role.SYSTEM, parts(message.get("content"), at, false), message, at);
      case "user" ->
          plain(LlmRequest.Role.USER, parts(message.get("content"), at, true), message, at);
      case "assistant" -> assistant(message, at, index);
      case "tool" -> {
        String callId = Json.string(message, "tool_call_id", at + ".tool_call_id");
        if (callId == null || callId.isEmpty()) {
          throw new OpenAiRequests.InvalidException(
              at + ".tool_call_id", null, "a tool message names the call it answers");
        }
        yield new LlmRequest.ChatMessage(
            LlmRequest.Role.TOOL, parts(message.get("content"), at, false), List.of(), callId);
      }
      default ->
          throw new OpenAiRequests.InvalidException(
              at + ".role",
              "invalid_value",
              "a message's role is system, developer, user, assistant, tool or function");
    };
  }

  private static LlmRequest.ChatMessage plain(
      LlmRequest.Role role, List<ContentPart> parts, JsonNode message, String at) {
    if (message.hasNonNull("tool_calls") || message.hasNonNull("tool_call_id")) {
      throw OpenAiRequests.InvalidException.unsupported(
          at, "only assistant messages carry tool_calls, and only tool messages a tool_call_id");
    }
    return new LlmRequest.ChatMessage(role, parts, List.of(), null);
  }

  private static LlmRequest.ChatMessage assistant(JsonNode message, String at, int index) {
    List<ToolCall> calls = new ArrayList<>();
    if (message.hasNonNull("function_call")) {
      calls.add(OpenAiFunctions.call(message, at, index));
    }
    JsonNode toolCalls = message.get("tool_calls");
    if (toolCalls != null && !toolCalls.isNull()) {
      if (!toolCalls.isArray()) {
        throw OpenAiRequests.InvalidException.type(at + ".tool_calls", "an array");
      }
      for (int i = 0; i < toolCalls.size(); i++) {
        calls.add(call(toolCalls.get(i), at + ".tool_calls[" + i + "]"));
      }
    }
    if (message.hasNonNull("tool_call_id")) {
      throw OpenAiRequests.InvalidException.unsupported(
          at + ".tool_call_id", "only tool messages carry a tool_call_id");
    }
    return new LlmRequest.ChatMessage(
        LlmRequest.Role.ASSISTANT, parts(message.get("content"), at, false), calls, null);
  }

  private static ToolCall call(JsonNode call, String at) {
    if (!call.isObject()) {
      throw OpenAiRequests.InvalidException.type(at, "an object");
    }
    String type = Json.string(call, "type", at + ".type");
    if (type != null && !type.equals("function")) {
      throw OpenAiRequests.InvalidException.unsupported(
          at + ".type", "only function tool calls are supported");
    }
    String id = Json.string(call, "id", at + ".id");
    JsonNode function = call.get("function");
    if (id == null || function == null || !function.isObject()) {
      throw new OpenAiRequests.InvalidException(
          at, null, "a tool call has an id and a function with a name and arguments");
    }
    String name = Json.string(function, "name", at + ".function.name");
    String arguments = Json.string(function, "arguments", at + ".function.arguments");
    if (name == null) {
      throw new OpenAiRequests.InvalidException(
          at + ".function.name", null, "a tool call names its function");
    }
    return new ToolCall(id, name, arguments == null ? "" : arguments);
  }

  /**
   * A message's content: null, a string, or an array of parts (text everywhere; {@code image_url}
   * only in user messages, as OpenAI allows). Other part types (audio, files) are refused.
   */
  private static List<ContentPart> parts(
      @Nullable JsonNode content, String at, boolean imagesAllowed) {
    String param = at + ".content";
    if (content == null || content.isNull()) {
      return List.of();
    }
    if (content.isString()) {
      String text = content.asString();
      return text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text));
    }
    if (!content.isArray()) {
      throw OpenAiRequests.InvalidException.type(param, "a string or an array of content parts");
    }
    List<ContentPart> parts = new ArrayList<>(content.size());
    for (JsonNode part : content) {
      if (!part.isObject()) {
        throw OpenAiRequests.InvalidException.type(param, "an array of content part objects");
      }
      String type = Json.string(part, "type", param);
      if ("text".equals(type)) {
        String text = Json.string(part, "text", param);
        parts.add(new ContentPart.Text(text == null ? "" : text, cache(part, param)));
      } else if ("image_url".equals(type) && imagesAllowed) {
        ContentPart.Image image = image(part.get("image_url"), param);
        parts.add(new ContentPart.Image(image.url(), image.detail(), cache(part, param)));
      } else {
        throw OpenAiRequests.InvalidException.unsupported(
            param, "content parts of type '" + type + "' are not supported here");
      }
    }
    return parts;
  }

  /**
   * A part's {@code cache_control}, the convention LiteLLM and OpenRouter take for Anthropic models
   * behind an OpenAI-shaped API: sent to an Anthropic upstream where it was set, left out for other
   * vendors (a caching hint; see {@link CacheControl}).
   */
  private static @Nullable CacheControl cache(JsonNode part, String param) {
    try {
      return CacheControl.read(part.path("cache_control"));
    } catch (IllegalArgumentException e) {
      throw new OpenAiRequests.InvalidException(param, "invalid_value", e.getMessage());
    }
  }

  private static ContentPart.Image image(@Nullable JsonNode image, String param) {
    if (image != null && image.isString()) {
      return new ContentPart.Image(image.asString(), null);
    }
    if (image == null || !image.isObject()) {
      throw OpenAiRequests.InvalidException.type(param, "image_url parts with an image_url object");
    }
    String url = Json.string(image, "url", param);
    if (url == null) {
      throw new OpenAiRequests.InvalidException(param, null, "an image_url part needs a url");
    }
    return new ContentPart.Image(url, Json.string(image, "detail", param));
  }
}
