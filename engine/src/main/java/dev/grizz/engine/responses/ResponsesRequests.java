package dev.grizz.engine.responses;

import dev.grizz.engine.llm.InvalidRequestException;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.RequestOptions;
import dev.grizz.engine.llm.ResponseFormat;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.ToolSpec;
import dev.grizz.engine.responses.ResponsesErrors.RefusedException;
import dev.grizz.engine.tool.Tool;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Responses API request ({@code POST /v1/responses}) into the typed model's parts. Strict,
 * as the rest of {@code /v1} is: a field Grizz cannot honour is refused naming it, never ignored.
 * The fields accepted without effect on the answer are {@code store} and {@code
 * previous_response_id} (the controller's), {@code metadata} (echoed), {@code prompt_cache_key} (a
 * cache hint), {@code service_tier} {@code auto}/{@code default}, {@code truncation} {@code
 * disabled}, {@code stream_options} and {@code reasoning.summary} (reasoning is relayed whenever
 * the model's vendor sends it). The input items are {@link ResponsesInput}'s.
 */
final class ResponsesRequests {

  /** Fields with no effect on the answer, or read elsewhere. */
  private static final Set<String> KNOWN =
      Set.of(
          "model",
          "input",
          "instructions",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "temperature",
          "top_p",
          "max_output_tokens",
          "text",
          "reasoning",
          "user",
          "safety_identifier",
          "stream",
          "stream_options",
          "store",
          "previous_response_id",
          "metadata",
          "prompt_cache_key",
          "service_tier",
          "truncation",
          "include",
          "top_logprobs",
          "background",
          "drop_params");

  private ResponsesRequests() {}

  /** What the request asks, but for its input items, which need the stored context to read. */
  record Parsed(
      String model,
      @Nullable String instructions,
      JsonNode input,
      List<ToolSpec> tools,
      List<Tool> serverTools,
      ToolChoice toolChoice,
      RequestOptions options,
      boolean stream,
      boolean store,
      boolean background,
      @Nullable String previousResponseId,
      JsonNode body) {}

  static Parsed parse(JsonNode body) {
    return parse(body, ResponsesTools.EngineTools.NONE);
  }

  /** The request, naming {@code engine}'s tools as server tools. */
  static Parsed parse(JsonNode body, ResponsesTools.EngineTools engine) {
    if (!body.isObject()) {
      throw RefusedException.invalid(null, "The body must be a JSON object.");
    }
    for (String field : body.propertyNames()) {
      if (!KNOWN.contains(field)) {
        throw RefusedException.unsupported(
            field, "Grizz does not support the Responses API's '" + field + "'.");
      }
    }
    refuseUnlessAbsent(body, "top_logprobs", "0");
    refuseUnlessAbsent(body, "truncation", "disabled");
    refuseUnlessAbsent(body, "service_tier", "auto", "default");
    ResponsesInclude.check(body.path("include"));
    String model = text(body, "model");
    if (model == null || model.isBlank()) {
      model = LlmRouter.AUTO;
    }
    JsonNode instructions = body.path("instructions");
    if (!instructions.isMissingNode() && !instructions.isNull() && !instructions.isString()) {
      throw RefusedException.unsupported("instructions", "instructions must be a string.");
    }
    String previous = text(body, "previous_response_id");
    JsonNode input = body.path("input");
    if ((input.isMissingNode() || input.isNull()) && previous == null) {
      throw RefusedException.invalid("input", "input is required.");
    }
    if (!input.isMissingNode() && !input.isNull() && !input.isString() && !input.isArray()) {
      throw RefusedException.invalid("input", "input is a string or an array of items.");
    }
    JsonNode metadata = body.path("metadata");
    if (!metadata.isMissingNode() && !metadata.isNull()) {
      checkMetadata(metadata);
    }
    boolean background = bool(body, "background", false);
    if (background && !bool(body, "store", true)) {
      throw RefusedException.invalid(
          "background", "A background response is stored: background requires store to be true.");
    }
    if (background && bool(body, "stream", false)) {
      // Its events would have to be kept for a client to resume them; not built yet.
      throw RefusedException.unsupported(
          "stream",
          "Grizz does not stream background responses yet: create it without stream and poll"
              + " GET /v1/responses/{id}.");
    }
    try {
      ResponsesTools.Offered offered = ResponsesTools.tools(body.path("tools"), engine);
      List<ToolSpec> tools = offered.specs();
      return new Parsed(
          model,
          instructions.isString() ? instructions.asString() : null,
          input,
          tools,
          offered.server(),
          ResponsesTools.toolChoice(body.path("tool_choice"), tools),
          options(body),
          bool(body, "stream", false),
          bool(body, "store", true),
          background,
          previous,
          body);
    } catch (InvalidRequestException e) {
      throw RefusedException.of(e);
    }
  }

  private static void refuseUnlessAbsent(JsonNode body, String field, String... allowed) {
    JsonNode value = body.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return;
    }
    for (String ok : allowed) {
      if (value.asString("").equals(ok) || value.toString().equals(ok)) {
        return;
      }
    }
    throw RefusedException.unsupported(
        field, "Grizz supports " + field + " only as " + String.join(" or ", allowed) + ".");
  }

  private static void checkMetadata(JsonNode metadata) {
    if (!metadata.isObject() || metadata.size() > 16) {
      throw RefusedException.invalid(
          "metadata", "metadata is an object of at most 16 string values.");
    }
    for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
      if (!entry.getValue().isString()
          || entry.getKey().length() > 64
          || entry.getValue().asString().length() > 512) {
        throw RefusedException.invalid(
            "metadata", "metadata keys are at most 64 characters, values strings of at most 512.");
      }
    }
  }

  private static RequestOptions options(JsonNode body) {
    RequestOptions.Builder options = RequestOptions.builder();
    options.temperature(number(body, "temperature"));
    options.topP(number(body, "top_p"));
    JsonNode max = body.path("max_output_tokens");
    if (!max.isMissingNode() && !max.isNull()) {
      if (!max.canConvertToInt() || !max.isIntegralNumber()) {
        throw RefusedException.invalid(
            "max_output_tokens", "max_output_tokens must be a whole number.");
      }
      options.maxOutputTokens(max.asInt());
    }
    JsonNode parallel = body.path("parallel_tool_calls");
    if (parallel.isBoolean()) {
      options.parallelToolCalls(parallel.asBoolean());
    }
    String user = text(body, "user");
    options.user(user != null ? user : text(body, "safety_identifier"));
    JsonNode reasoning = body.path("reasoning");
    if (reasoning.isObject()) {
      for (String field : reasoning.propertyNames()) {
        if (!Set.of("effort", "summary", "generate_summary").contains(field)) {
          throw RefusedException.unsupported(
              "reasoning." + field, "Grizz does not support reasoning." + field + ".");
        }
      }
      String effort = text(reasoning, "effort");
      if (effort != null) {
        RequestOptions.ReasoningEffort parsed = RequestOptions.ReasoningEffort.parse(effort);
        if (parsed == null) {
          throw RefusedException.invalid(
              "reasoning.effort", "reasoning.effort is none, minimal, low, medium or high.");
        }
        options.reasoningEffort(parsed);
      }
    }
    options.responseFormat(format(body.path("text")));
    // LiteLLM's opt-in, as on /v1/chat/completions: leave out what the routed model cannot honour.
    options.dropUnsupported(bool(body, "drop_params", false));
    return options.build();
  }

  private static ResponseFormat format(JsonNode text) {
    if (text.isMissingNode() || text.isNull()) {
      return ResponseFormat.TEXT;
    }
    for (String field : text.propertyNames()) {
      if (!field.equals("format") && !text.get(field).isNull()) {
        throw RefusedException.unsupported("text." + field, "Grizz does not support text." + field);
      }
    }
    JsonNode format = text.path("format");
    if (format.isMissingNode() || format.isNull()) {
      return ResponseFormat.TEXT;
    }
    if (format.hasNonNull("description")) {
      throw RefusedException.unsupported(
          "text.format.description", "Grizz does not support a description of the schema.");
    }
    return switch (format.path("type").asString("")) {
      case "text" -> ResponseFormat.TEXT;
      case "json_object" -> ResponseFormat.JSON_OBJECT;
      case "json_schema" -> {
        JsonNode schema = format.path("schema");
        if (!schema.isObject()) {
          throw RefusedException.invalid("text.format.schema", "json_schema needs its schema.");
        }
        String name = format.path("name").asString("");
        if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
          throw RefusedException.invalid(
              "text.format.name", "the schema's name is 1 to 64 letters, digits, _ or -.");
        }
        yield ResponseFormat.jsonSchema(name, schema, format.path("strict").asBoolean(false));
      }
      default ->
          throw RefusedException.invalid(
              "text.format", "text.format's type is text, json_object or json_schema.");
    };
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw RefusedException.invalid(field, field + " must be a string.");
    }
    return value.asString();
  }

  private static @Nullable Double number(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw RefusedException.invalid(field, field + " must be a number.");
    }
    return value.asDouble();
  }

  private static boolean bool(JsonNode node, String field, boolean otherwise) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return otherwise;
    }
    if (!value.isBoolean()) {
      throw RefusedException.invalid(field, field + " must be true or false.");
    }
    return value.asBoolean();
  }
}
