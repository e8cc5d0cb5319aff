package dev.grizz.engine.llm.anthropic;

import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.InvalidRequestException;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.RequestOptions;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.ToolSpec;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an {@link LlmRequest} as a Messages API body. The system messages, joined, go apart; a
 * tool result becomes a {@code tool_result} block of a user message; and since the API wants user
 * and assistant turns to alternate, consecutive messages of the same wire role are merged into one
 * (so parallel tool results go back as one user message, as the API documents).
 */
final class MessagesBody {

  private final long defaultMaxTokens;

  /**
   * @param defaultMaxTokens {@code max_tokens} when the request sets no output limit
   */
  MessagesBody(long defaultMaxTokens) {
    this.defaultMaxTokens = defaultMaxTokens;
  }

  /**
   * @throws InvalidRequestException when a tool call in the context has arguments that are not a
   *     JSON object: the API takes them as one, and text that is not JSON cannot be sent faithfully
   */
  byte[] write(LlmRequest request) {
    RequestOptions options = request.options();
    List<Turn> turns = turns(request.messages());
    @Nullable Integer budget = Thinking.budget(options);
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator json = JsonMapper.shared().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringProperty("model", request.model());
      json.writeNumberProperty("max_tokens", Thinking.maxTokens(options, budget, defaultMaxTokens));
      json.writeBooleanProperty("stream", true);
      ContentBlocks.writeSystem(json, request.messages());
      json.writeArrayPropertyStart("messages");
      for (Turn turn : turns) {
        writeTurn(json, turn);
      }
      json.writeEndArray();
      writeTools(json, request);
      writeOptions(json, options, budget);
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  /** One message on the wire: a role and the messages of ours merged into it. */
  private record Turn(String role, List<ChatMessage> messages) {}

  private static List<Turn> turns(List<ChatMessage> messages) {
    List<Turn> turns = new ArrayList<>();
    for (ChatMessage message : messages) {
      if (message.role() == Role.SYSTEM) {
        continue;
      }
      String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
      if (!turns.isEmpty() && turns.getLast().role().equals(role)) {
        turns.getLast().messages().add(message);
      } else {
        turns.add(new Turn(role, new ArrayList<>(List.of(message))));
      }
    }
    return turns;
  }

  private static void writeTurn(JsonGenerator json, Turn turn) {
    json.writeStartObject();
    json.writeStringProperty("role", turn.role());
    ChatMessage first = turn.messages().getFirst();
    boolean plain =
        turn.messages().size() == 1
            && first.role() != Role.TOOL
            && first.toolCalls().isEmpty()
            && first.parts().size() <= 1
            && first.parts().stream()
                .allMatch(part -> part instanceof ContentPart.Text text && text.cache() == null);
    if (plain) {
      // A lone text message goes as a string, the API's shorthand for one text block.
      json.writeStringProperty("content", first.text());
    } else {
      json.writeArrayPropertyStart("content");
      for (ChatMessage message : turn.messages()) {
        ContentBlocks.write(json, message);
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  private static void writeTools(JsonGenerator json, LlmRequest request) {
    if (JsonFormatTool.used(request)) {
      JsonFormatTool.write(json, request.options().responseFormat());
      return;
    }
    if (!request.tools().isEmpty()) {
      json.writeArrayPropertyStart("tools");
      for (ToolSpec tool : request.tools()) {
        json.writeStartObject();
        json.writeStringProperty("name", tool.name());
        if (tool.description() != null) {
          json.writeStringProperty("description", tool.description());
        }
        json.writeName("input_schema");
        json.writeTree(tool.parameters());
        ContentBlocks.writeCache(json, tool.cache());
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    ToolChoice choice = request.toolChoice();
    Boolean parallel = request.options().parallelToolCalls();
    boolean serial = Boolean.FALSE.equals(parallel) && choice.mode() != ToolChoice.Mode.NONE;
    if (choice.mode() == ToolChoice.Mode.AUTO && !serial) {
      return;
    }
    json.writeObjectPropertyStart("tool_choice");
    json.writeStringProperty(
        "type",
        switch (choice.mode()) {
          case AUTO -> "auto";
          case NONE -> "none";
          case REQUIRED -> "any";
          case FUNCTION -> "tool";
        });
    if (choice.name() != null) {
      json.writeStringProperty("name", choice.name());
    }
    if (serial) {
      json.writeBooleanProperty("disable_parallel_tool_use", true);
    }
    json.writeEndObject();
  }

  private static void writeOptions(
      JsonGenerator json, RequestOptions options, @Nullable Integer budget) {
    if (options.temperature() != null) {
      json.writeNumberProperty("temperature", options.temperature());
    }
    if (options.topP() != null) {
      json.writeNumberProperty("top_p", options.topP());
    }
    if (options.topK() != null) {
      json.writeNumberProperty("top_k", options.topK());
    }
    if (!options.stop().isEmpty()) {
      json.writeArrayPropertyStart("stop_sequences");
      for (String stop : options.stop()) {
        json.writeString(stop);
      }
      json.writeEndArray();
    }
    if (options.user() != null) {
      json.writeObjectPropertyStart("metadata");
      json.writeStringProperty("user_id", options.user());
      json.writeEndObject();
    }
    if (budget != null) {
      json.writeObjectPropertyStart("thinking");
      json.writeStringProperty("type", "enabled");
      json.writeNumberProperty("budget_tokens", budget);
      json.writeEndObject();
    } else if (options.reasoningEffort() == RequestOptions.ReasoningEffort.NONE) {
      json.writeObjectPropertyStart("thinking");
      json.writeStringProperty("type", "disabled");
      json.writeEndObject();
    }
  }
}
