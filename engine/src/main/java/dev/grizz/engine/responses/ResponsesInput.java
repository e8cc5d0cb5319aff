package dev.grizz.engine.responses;

import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.responses.ResponsesErrors.RefusedException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Responses API context, its input items read into the typed model's messages: messages by role
 * ({@code developer} is a system message), their text and image parts, the model's function calls
 * (consecutive calls join the assistant message before them, as Chat Completions wants them) and
 * their outputs, and the calls the engine ran of its own tools ({@code mcp_call}: call and result).
 * {@code reasoning} items are accepted and skipped: the typed model carries no reasoning back to a
 * model, and no vendor Grizz speaks to takes another's. An {@code item_reference} (which the AI SDK
 * sends for items of a stored response) is replaced by the item it names; the items kept for a
 * stored response are the replaced ones, so a stored context stands on its own. File inputs and
 * every other item type are refused naming {@code input}.
 */
final class ResponsesInput {

  /** The items as kept (references replaced) and the messages they make, oldest first. */
  record Context(ArrayNode items, List<ChatMessage> messages) {}

  private final JsonMapper json;
  private final Function<String, @Nullable JsonNode> references;
  private final ArrayNode items;
  private final List<ChatMessage> messages = new ArrayList<>();

  private ResponsesInput(JsonMapper json, Function<String, @Nullable JsonNode> references) {
    this.json = json;
    this.references = references;
    this.items = json.createArrayNode();
  }

  /**
   * The context of a request: the {@code earlier} items (a stored response's context and output,
   * when the request continues one) followed by {@code input}, a string or an array of items.
   *
   * @param references the item an {@code item_reference} names, or null when there is none
   */
  static Context read(
      JsonMapper json,
      List<JsonNode> earlier,
      JsonNode input,
      Function<String, @Nullable JsonNode> references) {
    ResponsesInput reader = new ResponsesInput(json, references);
    earlier.forEach(reader::add);
    if (input.isString()) {
      ObjectNode message = json.createObjectNode();
      message.put("type", "message");
      message.put("role", "user");
      message
          .putArray("content")
          .addObject()
          .put("type", "input_text")
          .put("text", input.asString());
      reader.add(message);
    } else if (input.isArray()) {
      input.forEach(reader::add);
    }
    return new Context(reader.items, List.copyOf(reader.messages));
  }

  private void add(JsonNode item) {
    if (!item.isObject()) {
      throw RefusedException.invalid("input", "each input item is an object.");
    }
    String type = item.path("type").asString("");
    switch (type) {
      case "", "message" -> message(item);
      case "function_call" -> call(item);
      case "function_call_output" -> output(item);
      case "mcp_call" -> serverCall(item);
      case "reasoning" -> {
        // kept with the context, not sent: see the class comment
      }
      case "item_reference" -> {
        String id = item.path("id").asString("");
        JsonNode named = references.apply(id);
        if (named == null) {
          throw RefusedException.notFound("input", "Item with id '" + id + "' not found.");
        }
        add(named);
        return;
      }
      default ->
          throw RefusedException.unsupported(
              "input", "Grizz does not support input items of type '" + type + "'.");
    }
    items.add(item);
  }

  private void message(JsonNode item) {
    Role role =
        switch (item.path("role").asString("")) {
          case "user" -> Role.USER;
          case "system", "developer" -> Role.SYSTEM;
          case "assistant" -> Role.ASSISTANT;
          default ->
              throw RefusedException.invalid(
                  "input", "a message's role is user, system, developer or assistant.");
        };
    List<ContentPart> parts = parts(item.path("content"), role == Role.USER);
    messages.add(new ChatMessage(role, parts, List.of(), null));
  }

  private List<ContentPart> parts(JsonNode content, boolean imagesAllowed) {
    if (content.isString()) {
      String text = content.asString();
      return text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text));
    }
    if (!content.isArray()) {
      throw RefusedException.invalid("input", "content is a string or an array of parts.");
    }
    List<ContentPart> parts = new ArrayList<>();
    for (JsonNode part : content) {
      String type = part.path("type").asString("");
      switch (type) {
        case "input_text", "output_text", "text" ->
            parts.add(new ContentPart.Text(part.path("text").asString("")));
        case "refusal" -> parts.add(new ContentPart.Text(part.path("refusal").asString("")));
        case "input_image" -> {
          if (!imagesAllowed) {
            throw RefusedException.invalid("input", "only a user message holds images.");
          }
          if (part.hasNonNull("file_id")) {
            throw RefusedException.unsupported(
                "input", "Grizz has no Files API: send an image by image_url, not file_id.");
          }
          JsonNode url = part.path("image_url");
          if (!url.isString()) {
            throw RefusedException.invalid("input", "an input_image needs its image_url.");
          }
          JsonNode detail = part.path("detail");
          parts.add(
              new ContentPart.Image(url.asString(), detail.isString() ? detail.asString() : null));
        }
        default ->
            throw RefusedException.unsupported(
                "input", "Grizz does not support content parts of type '" + type + "'.");
      }
    }
    return parts;
  }

  private void call(JsonNode item) {
    String callId = required(item, "call_id");
    appendCall(new ToolCall(callId, required(item, "name"), item.path("arguments").asString("")));
  }

  private void appendCall(ToolCall call) {
    ChatMessage last = messages.isEmpty() ? null : messages.getLast();
    if (last != null && last.role() == Role.ASSISTANT) {
      List<ToolCall> calls = new ArrayList<>(last.toolCalls());
      calls.add(call);
      messages.set(messages.size() - 1, new ChatMessage(Role.ASSISTANT, last.parts(), calls, null));
    } else {
      messages.add(ChatMessage.assistant("", List.of(call)));
    }
  }

  /**
   * A call the engine ran of its own tool: the assistant's call (its item id standing for the call
   * id, which the item does not keep) and its result, or its error when it failed.
   */
  private void serverCall(JsonNode item) {
    String id = required(item, "id");
    appendCall(new ToolCall(id, required(item, "name"), item.path("arguments").asString("")));
    JsonNode output = item.path("output");
    messages.add(
        ChatMessage.toolResult(
            id, output.isString() ? output.asString() : item.path("error").asString("")));
  }

  private void output(JsonNode item) {
    String callId = required(item, "call_id");
    JsonNode output = item.path("output");
    String text;
    if (output.isString()) {
      text = output.asString();
    } else if (output.isArray()) {
      StringBuilder joined = new StringBuilder();
      for (ContentPart part : parts(output, false)) {
        if (part instanceof ContentPart.Text piece) {
          joined.append(piece.text());
        }
      }
      text = joined.toString();
    } else {
      throw RefusedException.invalid("input", "a function_call_output's output is a string.");
    }
    messages.add(ChatMessage.toolResult(callId, text));
  }

  private static String required(JsonNode item, String field) {
    JsonNode value = item.path(field);
    if (!value.isString() || value.asString().isEmpty()) {
      throw RefusedException.invalid(
          "input", "a " + item.path("type").asString() + " item needs its " + field + ".");
    }
    return value.asString();
  }
}
