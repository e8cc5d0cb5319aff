package dev.grizz.engine.llm.anthropic;

import dev.grizz.engine.llm.Feature;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.ResponseFormat;
import dev.grizz.engine.llm.ToolChoice;
import java.util.EnumSet;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * JSON output on a Messages API that has no response format: the technique Anthropic documents for
 * JSON mode. The request offers one tool whose input schema is the wanted schema ({@code {"type":
 * "object"}} for any object) and forces the model to call it; the call's input, as it streams, is
 * the answer's text (see {@link MessageEvents}), and its {@code tool_use} stop is a normal stop.
 *
 * <p>Not honoured, so refused per candidate: a strict schema (the API does not hold a tool's input
 * to its schema exactly), a schema whose root is not an object (a tool's input is one), the
 * request's own tools or tool choice beside it (they could never be called), and thinking (which
 * the API does not allow with a forced tool).
 */
final class JsonFormatTool {

  /** The tool's name: not one a caller's tool can clash with, as those are refused beside it. */
  static final String NAME = "json_response";

  private JsonFormatTool() {}

  static boolean used(LlmRequest request) {
    return request.options().responseFormat().kind() != ResponseFormat.Kind.TEXT;
  }

  static void write(JsonGenerator json, ResponseFormat format) {
    json.writeArrayPropertyStart("tools");
    json.writeStartObject();
    json.writeStringProperty("name", NAME);
    json.writeStringProperty(
        "description",
        format.name() == null
            ? "Give the answer as a JSON object."
            : "Give the answer as a JSON object: " + format.name() + ".");
    json.writeName("input_schema");
    if (format.schema() != null) {
      json.writeTree(format.schema());
    } else {
      json.writeStartObject();
      json.writeStringProperty("type", "object");
      json.writeEndObject();
    }
    json.writeEndObject();
    json.writeEndArray();
    json.writeObjectPropertyStart("tool_choice");
    json.writeStringProperty("type", "tool");
    json.writeStringProperty("name", NAME);
    json.writeEndObject();
  }

  /** The JSON format feature the request uses, when this technique cannot honour it. */
  static Set<Feature> cannotHonour(LlmRequest request, boolean thinking) {
    ResponseFormat format = request.options().responseFormat();
    if (format.kind() == ResponseFormat.Kind.TEXT) {
      return Set.of();
    }
    Feature feature =
        format.kind() == ResponseFormat.Kind.JSON_OBJECT
            ? Feature.JSON_OBJECT
            : Feature.JSON_SCHEMA;
    JsonNode schema = format.schema();
    boolean refused =
        format.strict()
            || (schema != null && !"object".equals(schema.path("type").stringValue("")))
            || !request.tools().isEmpty()
            || request.toolChoice().mode() != ToolChoice.Mode.AUTO
            || request.options().parallelToolCalls() != null
            || thinking;
    return refused ? EnumSet.of(feature) : Set.of();
  }
}
