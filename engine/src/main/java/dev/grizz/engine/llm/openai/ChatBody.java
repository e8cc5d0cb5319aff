package dev.grizz.engine.llm.openai;

import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.RequestOptions;
import dev.grizz.engine.llm.ResponseFormat;
import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.ToolSpec;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a Chat Completions request body straight from the typed request with a streaming generator
 * (no tree, no bound objects: this runs for every request). A field is written only when the
 * request sets it, so the vendor's default applies otherwise; the router has already made sure the
 * dialect takes every feature the request uses, and {@code n}, {@code logprobs} and {@code top_k}
 * (claimed by no dialect) are never written.
 */
final class ChatBody {

  /** The name sent for a JSON schema the caller left unnamed (OpenAI requires one). */
  static final String DEFAULT_SCHEMA_NAME = "response";

  private ChatBody() {}

  static byte[] write(LlmRequest request, Dialect dialect, boolean askForUsage) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JsonMapper.shared().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringProperty("model", request.model());
      json.writeArrayPropertyStart("messages");
      for (LlmRequest.ChatMessage message : request.messages()) {
        message(json, message, dialect);
      }
      json.writeEndArray();
      tools(json, request.tools(), request.toolChoice(), dialect);
      options(json, request.options(), dialect);
      json.writeBooleanProperty("stream", true);
      if (askForUsage) {
        json.writeObjectPropertyStart("stream_options");
        json.writeBooleanProperty("include_usage", true);
        json.writeEndObject();
      }
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void message(JsonGenerator json, LlmRequest.ChatMessage message, Dialect dialect) {
    json.writeStartObject();
    json.writeStringProperty("role", role(message.role()));
    // A vendor's signed reasoning is for that vendor alone (see ContentPart.Thinking).
    List<ContentPart> parts =
        message.parts().stream().filter(part -> !ContentPart.isThinking(part)).toList();
    if (parts.isEmpty() && !message.toolCalls().isEmpty()) {
      json.writeNullProperty("content");
    } else if (parts.isEmpty()) {
      json.writeStringProperty("content", "");
    } else if (parts.size() == 1 && parts.getFirst() instanceof ContentPart.Text only) {
      json.writeStringProperty("content", only.text());
    } else {
      json.writeArrayPropertyStart("content");
      for (ContentPart part : parts) {
        part(json, part);
      }
      json.writeEndArray();
    }
    if (!message.toolCalls().isEmpty()) {
      json.writeArrayPropertyStart("tool_calls");
      for (ToolCall call : message.toolCalls()) {
        json.writeStartObject();
        json.writeStringProperty("id", dialect.toolCallId(call.id()));
        json.writeStringProperty("type", "function");
        json.writeObjectPropertyStart("function");
        json.writeStringProperty("name", call.name());
        json.writeStringProperty("arguments", call.arguments());
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    if (message.toolCallId() != null) {
      json.writeStringProperty("tool_call_id", dialect.toolCallId(message.toolCallId()));
    }
    json.writeEndObject();
  }

  private static void part(JsonGenerator json, ContentPart part) {
    json.writeStartObject();
    switch (part) {
      case ContentPart.Text text -> {
        json.writeStringProperty("type", "text");
        json.writeStringProperty("text", text.text());
      }
      case ContentPart.Thinking thinking -> throw new IllegalStateException("filtered above");
      case ContentPart.RedactedThinking redacted ->
          throw new IllegalStateException("filtered above");
      case ContentPart.Image image -> {
        json.writeStringProperty("type", "image_url");
        json.writeObjectPropertyStart("image_url");
        json.writeStringProperty("url", image.url());
        if (image.detail() != null) {
          json.writeStringProperty("detail", image.detail());
        }
        json.writeEndObject();
      }
    }
    json.writeEndObject();
  }

  private static void tools(
      JsonGenerator json, List<ToolSpec> tools, ToolChoice choice, Dialect dialect) {
    if (!tools.isEmpty()) {
      json.writeArrayPropertyStart("tools");
      for (ToolSpec tool : tools) {
        json.writeStartObject();
        json.writeStringProperty("type", "function");
        json.writeObjectPropertyStart("function");
        json.writeStringProperty("name", tool.name());
        if (tool.description() != null) {
          json.writeStringProperty("description", tool.description());
        }
        json.writeName("parameters");
        json.writeTree(tool.parameters());
        if (tool.strict()) {
          json.writeBooleanProperty("strict", true);
        }
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    switch (choice.mode()) {
      case AUTO -> {
        // the default: not sent
      }
      case NONE -> json.writeStringProperty("tool_choice", "none");
      case REQUIRED -> json.writeStringProperty("tool_choice", dialect.requiredToolChoice());
      case FUNCTION -> {
        json.writeObjectPropertyStart("tool_choice");
        json.writeStringProperty("type", "function");
        json.writeObjectPropertyStart("function");
        json.writeStringProperty("name", choice.name());
        json.writeEndObject();
        json.writeEndObject();
      }
    }
  }

  private static void options(JsonGenerator json, RequestOptions options, Dialect dialect) {
    if (options.parallelToolCalls() != null) {
      json.writeBooleanProperty("parallel_tool_calls", options.parallelToolCalls());
    }
    number(json, "temperature", options.temperature());
    number(json, "top_p", options.topP());
    if (options.maxOutputTokens() != null) {
      json.writeNumberProperty(dialect.maxTokensField(), options.maxOutputTokens());
    }
    if (!options.stop().isEmpty()) {
      json.writeArrayPropertyStart("stop");
      for (String stop : options.stop()) {
        json.writeString(stop);
      }
      json.writeEndArray();
    }
    if (options.seed() != null) {
      json.writeNumberProperty(dialect.seedField(), options.seed());
    }
    number(json, "presence_penalty", options.presencePenalty());
    number(json, "frequency_penalty", options.frequencyPenalty());
    if (!options.logitBias().isEmpty()) {
      json.writeObjectPropertyStart("logit_bias");
      for (Map.Entry<String, Integer> bias : options.logitBias().entrySet()) {
        json.writeNumberProperty(bias.getKey(), bias.getValue());
      }
      json.writeEndObject();
    }
    if (options.user() != null) {
      json.writeStringProperty("user", options.user());
    }
    String effort = effort(options);
    if (effort != null) {
      json.writeStringProperty("reasoning_effort", effort);
    }
    responseFormat(json, options.responseFormat());
  }

  /**
   * The effort asked for, or one made from a thinking budget (Anthropic's terms) when only that was
   * given: under 4,096 tokens is {@code low}, under 16,384 {@code medium}, more {@code high}. The
   * API takes no budget, so a bucket is the closest it can honour.
   */
  static @Nullable String effort(RequestOptions options) {
    if (options.reasoningEffort() != null) {
      return options.reasoningEffort().wire();
    }
    Integer budget = options.thinkingBudget();
    if (budget == null) {
      return null;
    }
    return budget < 4096 ? "low" : budget < 16384 ? "medium" : "high";
  }

  private static void responseFormat(JsonGenerator json, ResponseFormat format) {
    switch (format.kind()) {
      case TEXT -> {
        // the default: not sent
      }
      case JSON_OBJECT -> {
        json.writeObjectPropertyStart("response_format");
        json.writeStringProperty("type", "json_object");
        json.writeEndObject();
      }
      case JSON_SCHEMA -> {
        json.writeObjectPropertyStart("response_format");
        json.writeStringProperty("type", "json_schema");
        json.writeObjectPropertyStart("json_schema");
        json.writeStringProperty(
            "name", format.name() != null ? format.name() : DEFAULT_SCHEMA_NAME);
        json.writeName("schema");
        json.writeTree(format.schema());
        json.writeBooleanProperty("strict", format.strict());
        json.writeEndObject();
        json.writeEndObject();
      }
    }
  }

  private static void number(JsonGenerator json, String name, @Nullable Double value) {
    if (value != null) {
      json.writeNumberProperty(name, value);
    }
  }

  private static String role(LlmRequest.Role role) {
    return switch (role) {
      case SYSTEM -> "system";
      case USER -> "user";
      case ASSISTANT -> "assistant";
      case TOOL -> "tool";
    };
  }
}
