package dev.grizz.engine.api;

import dev.grizz.engine.llm.Feature;
import dev.grizz.engine.llm.InvalidRequestException;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.RequestOptions;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.ToolSpec;
import dev.grizz.engine.llm.UnsupportedFeatureException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads an OpenAI Chat Completions request into the engine's typed {@link LlmRequest}: every field
 * is carried, refused with a 400 naming it, or on the short list of {@link #IGNORED} fields that do
 * not change the answer. A value of the wrong JSON type is an {@code invalid_type} naming its
 * field; a value out of range is refused by {@link RequestOptions} itself, renamed here to the
 * field the client sent ({@code max_tokens} or {@code max_completion_tokens}).
 */
final class OpenAiRequests {

  /**
   * Fields accepted and ignored: none changes what the model answers. {@code metadata}, {@code
   * store}, {@code prompt_cache_key}, {@code prompt_cache_retention}: OpenAI's stored-completion
   * and cache bookkeeping. {@code service_tier}: OpenAI's billing lane. {@code safety_identifier}:
   * OpenAI's abuse tracking id. {@code prediction}: a latency hint (predicted outputs) that never
   * changes the tokens generated. {@code modalities} is accepted only as {@code ["text"]}, checked
   * apart. {@code stream_options} extras ({@code include_obfuscation}) are ignored where it is
   * read.
   */
  static final Set<String> IGNORED =
      Set.of(
          "metadata",
          "store",
          "prompt_cache_key",
          "prompt_cache_retention",
          "service_tier",
          "safety_identifier",
          "prediction");

  /** Fields read by {@link #parse}; anything else not {@link #IGNORED} is refused. */
  private static final Set<String> CARRIED =
      Set.of(
          "model",
          "messages",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "temperature",
          "top_p",
          "top_k",
          "max_tokens",
          "max_completion_tokens",
          "stop",
          "seed",
          "presence_penalty",
          "frequency_penalty",
          "logit_bias",
          "n",
          "user",
          "reasoning_effort",
          "response_format",
          "logprobs",
          "top_logprobs",
          "stream",
          "stream_options",
          "drop_params",
          "modalities",
          "functions",
          "function_call");

  private OpenAiRequests() {}

  /**
   * A parsed request. {@code params} names, per feature, the field the client sent for it when that
   * differs from {@link Feature#openAiParam()} ({@code max_tokens}), so errors name it.
   */
  record Parsed(
      LlmRequest request,
      boolean stream,
      boolean includeUsage,
      Map<Feature, String> params,
      boolean legacyFunctions) {

    String model() {
      return request.model();
    }

    @Nullable String modelOrNull() {
      return model().equals(LlmRouter.AUTO) ? null : model();
    }

    List<LlmRequest.ChatMessage> messages() {
      return request.messages();
    }

    /** The field the client sent for a feature. */
    String param(Feature feature) {
      return params.getOrDefault(feature, feature.openAiParam());
    }

    /** The router's refusal, naming the field as the client sent it. */
    InvalidException unsupported(UnsupportedFeatureException e) {
      String param = param(e.feature());
      return InvalidException.unsupported(
          param, e.getMessage().replace("'" + e.feature().openAiParam() + "'", "'" + param + "'"));
    }

    String lastUserMessage() {
      for (int i = messages().size() - 1; i >= 0; i--) {
        if (messages().get(i).role() == LlmRequest.Role.USER) {
          return messages().get(i).text();
        }
      }
      throw new InvalidException("messages", null, "there is no user message to answer");
    }
  }

  static Parsed parse(JsonNode body) {
    if (!body.isObject()) {
      throw new InvalidException(null, null, "the body must be a JSON object");
    }
    for (String field : body.propertyNames()) {
      if (!CARRIED.contains(field) && !IGNORED.contains(field)) {
        throw InvalidException.unsupported(
            field, "'" + field + "' is not supported by this API; send the request without it");
      }
    }
    checkModalities(body);
    String model = Json.string(body, "model");
    if (model == null || model.isBlank()) {
      model = LlmRouter.AUTO;
    }
    List<LlmRequest.ChatMessage> messages = OpenAiMessages.parse(body.path("messages"));
    Map<Feature, String> params = new LinkedHashMap<>();
    boolean legacy = OpenAiFunctions.used(body);
    if (legacy && Boolean.TRUE.equals(Json.bool(body, "parallel_tool_calls"))) {
      throw InvalidException.unsupported(
          "parallel_tool_calls", "the deprecated functions answer one call at a time");
    }
    RequestOptions options = options(body, params);
    List<ToolSpec> tools;
    ToolChoice choice;
    if (legacy) {
      tools = OpenAiFunctions.tools(body);
      choice = OpenAiFunctions.choice(body.get("function_call"), tools);
      // Errors about them name the fields the client sent. parallel_tool_calls is not set to
      // false for them: servers without that control would refuse the request; a model that
      // makes several calls anyway has the rest shown as tool_calls (see OpenAiChunks).
      params.put(Feature.TOOLS, "functions");
      params.put(Feature.TOOL_CHOICE, "function_call");
    } else {
      tools = OpenAiTools.tools(body.get("tools"));
      choice = OpenAiTools.choice(body.get("tool_choice"), tools);
    }
    LlmRequest request = new LlmRequest(model, messages, tools, choice, options);
    Boolean stream = Json.bool(body, "stream");
    JsonNode streamOptions = body.get("stream_options");
    Boolean includeUsage = null;
    if (streamOptions != null && !streamOptions.isNull()) {
      if (!streamOptions.isObject()) {
        throw InvalidException.type("stream_options", "an object");
      }
      // include_obfuscation and any other extra only shape the stream's padding: ignored.
      includeUsage = Json.bool(streamOptions, "include_usage", "stream_options.include_usage");
    }
    return new Parsed(
        request,
        Boolean.TRUE.equals(stream),
        Boolean.TRUE.equals(includeUsage),
        Map.copyOf(params),
        legacy);
  }

  private static void checkModalities(JsonNode body) {
    JsonNode modalities = body.get("modalities");
    if (modalities != null && !modalities.isNull()) {
      boolean textOnly =
          modalities.isArray()
              && modalities.size() == 1
              && modalities.get(0).isString()
              && modalities.get(0).asString().equals("text");
      if (!textOnly) {
        throw InvalidException.unsupported(
            "modalities", "only text output is supported: modalities must be [\"text\"]");
      }
    }
  }

  private static RequestOptions options(JsonNode body, Map<Feature, String> params) {
    Integer maxTokens = Json.integer(body, "max_tokens");
    Integer maxCompletionTokens = Json.integer(body, "max_completion_tokens");
    if (maxTokens != null && maxCompletionTokens != null) {
      throw new InvalidException(
          "max_tokens",
          "invalid_value",
          "send max_tokens or max_completion_tokens, not both (max_tokens is the older name)");
    }
    if (maxTokens != null) {
      params.put(Feature.MAX_OUTPUT_TOKENS, "max_tokens");
    }
    String effort = Json.string(body, "reasoning_effort");
    RequestOptions.ReasoningEffort reasoning = null;
    if (effort != null) {
      reasoning = RequestOptions.ReasoningEffort.parse(effort);
      if (reasoning == null) {
        throw new InvalidException(
            "reasoning_effort",
            "invalid_value",
            "reasoning_effort is one of none, minimal, low, medium, high");
      }
    }
    Boolean logprobs = Json.bool(body, "logprobs");
    RequestOptions.Builder options =
        RequestOptions.builder()
            .temperature(Json.number(body, "temperature"))
            .topP(Json.number(body, "top_p"))
            .topK(Json.integer(body, "top_k"))
            .maxOutputTokens(maxTokens != null ? maxTokens : maxCompletionTokens)
            .stop(Json.stop(body.get("stop")))
            .seed(Json.longValue(body, "seed"))
            .presencePenalty(Json.number(body, "presence_penalty"))
            .frequencyPenalty(Json.number(body, "frequency_penalty"))
            .logitBias(Json.logitBias(body.get("logit_bias")))
            .n(Json.integer(body, "n"))
            .user(Json.string(body, "user"))
            .reasoningEffort(reasoning)
            .logprobs(Boolean.TRUE.equals(logprobs))
            .topLogprobs(Json.integer(body, "top_logprobs"))
            .parallelToolCalls(Json.bool(body, "parallel_tool_calls"))
            .responseFormat(OpenAiTools.responseFormat(body.get("response_format")))
            .dropUnsupported(Boolean.TRUE.equals(Json.bool(body, "drop_params")));
    try {
      return options.build();
    } catch (InvalidRequestException e) {
      String param = params.get(e.feature());
      if (param == null || !e.param().equals(e.feature().openAiParam())) {
        throw e;
      }
      throw new InvalidRequestException(
          e.feature(), param, e.getMessage().replace(e.feature().openAiParam(), param));
    }
  }

  /** A request this API cannot serve as sent: a 400 naming {@code param}. */
  static final class InvalidException extends RuntimeException {
    final @Nullable String param;
    final @Nullable String code;

    InvalidException(@Nullable String param, @Nullable String code, String message) {
      super(message);
      this.param = param;
      this.code = code;
    }

    /** A value of the wrong JSON type. */
    static InvalidException type(String param, String expected) {
      return new InvalidException(param, "invalid_type", param + " must be " + expected);
    }

    /** A field, or a value of it, this API does not honour: refused rather than ignored. */
    static InvalidException unsupported(String param, String message) {
      return new InvalidException(param, "unsupported_parameter", message);
    }
  }
}
