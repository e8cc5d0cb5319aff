package dev.grizz.engine.api;

import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRouter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Reads an OpenAI chat completion request, leniently: fields Grizz does not use are ignored. */
final class OpenAiRequests {

  private OpenAiRequests() {}

  record Parsed(
      String model, List<LlmRequest.ChatMessage> messages, boolean stream, boolean includeUsage) {

    @Nullable String modelOrNull() {
      return model.equals(LlmRouter.AUTO) ? null : model;
    }

    String lastUserMessage() {
      for (int i = messages.size() - 1; i >= 0; i--) {
        if (messages.get(i).role() == LlmRequest.Role.USER) {
          return messages.get(i).text();
        }
      }
      throw new InvalidException("messages", "there is no user message to answer");
    }
  }

  static Parsed parse(JsonNode body) {
    if (!body.isObject()) {
      throw new InvalidException(null, "the body must be a JSON object");
    }
    String model = body.path("model").asString("");
    if (model.isBlank()) {
      model = LlmRouter.AUTO;
    }
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new InvalidException("messages", "messages must be a non-empty array");
    }
    List<LlmRequest.ChatMessage> parsed = new ArrayList<>();
    for (JsonNode message : messages) {
      LlmRequest.Role role =
          switch (message.path("role").asString("")) {
            case "system", "developer" -> LlmRequest.Role.SYSTEM;
            case "user" -> LlmRequest.Role.USER;
            case "assistant" -> LlmRequest.Role.ASSISTANT;
            default ->
                throw new InvalidException(
                    "messages", "each message needs a role of system, user or assistant");
          };
      parsed.add(new LlmRequest.ChatMessage(role, text(message.path("content"))));
    }
    boolean stream = body.path("stream").asBoolean(false);
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    return new Parsed(model, parsed, stream, includeUsage);
  }

  /** Content as a string, or the text parts of an array of content parts. */
  private static String text(JsonNode content) {
    if (content.isString()) {
      return content.asString();
    }
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if (part.path("type").asString("").equals("text")) {
          text.append(part.path("text").asString(""));
        }
      }
      return text.toString();
    }
    if (content.isNull() || content.isMissingNode()) {
      return "";
    }
    throw new InvalidException("messages", "content must be a string or an array of text parts");
  }

  /** A request this API cannot serve as sent. */
  static final class InvalidException extends RuntimeException {
    final @Nullable String param;

    InvalidException(@Nullable String param, String message) {
      super(message);
      this.param = param;
    }
  }

  /** Every candidate failed before producing any text. */
  static final class UpstreamFailedException extends RuntimeException {
    final String code;

    UpstreamFailedException(String code, String message) {
      super(message);
      this.code = code;
    }
  }
}
