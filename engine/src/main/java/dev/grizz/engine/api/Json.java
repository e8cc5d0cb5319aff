package dev.grizz.engine.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Typed reads of optional request fields: absent or {@code null} is "not given" (null here), a
 * value of the wrong JSON type is a 400 {@code invalid_type} naming the field as the client sent
 * it. The OpenAI-compatible API reads every field through these, so no wrong type passes as a
 * default.
 */
final class Json {

  private Json() {}

  private static @Nullable JsonNode value(JsonNode object, String field) {
    JsonNode value = object.get(field);
    return value == null || value.isNull() ? null : value;
  }

  static @Nullable String string(JsonNode object, String field) {
    return string(object, field, field);
  }

  static @Nullable String string(JsonNode object, String field, String param) {
    JsonNode value = value(object, field);
    if (value == null) {
      return null;
    }
    if (!value.isString()) {
      throw OpenAiRequests.InvalidException.type(param, "a string");
    }
    return value.asString();
  }

  static @Nullable Boolean bool(JsonNode object, String field) {
    return bool(object, field, field);
  }

  static @Nullable Boolean bool(JsonNode object, String field, String param) {
    JsonNode value = value(object, field);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      throw OpenAiRequests.InvalidException.type(param, "a boolean");
    }
    return value.booleanValue();
  }

  static @Nullable Double number(JsonNode object, String field) {
    JsonNode value = value(object, field);
    if (value == null) {
      return null;
    }
    if (!value.isNumber()) {
      throw OpenAiRequests.InvalidException.type(field, "a number");
    }
    return value.doubleValue();
  }

  static @Nullable Integer integer(JsonNode object, String field) {
    JsonNode value = value(object, field);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber()) {
      throw OpenAiRequests.InvalidException.type(field, "an integer");
    }
    if (!value.canConvertToInt()) {
      throw new OpenAiRequests.InvalidException(field, "invalid_value", field + " is out of range");
    }
    return value.intValue();
  }

  static @Nullable Long longValue(JsonNode object, String field) {
    JsonNode value = value(object, field);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber()) {
      throw OpenAiRequests.InvalidException.type(field, "an integer");
    }
    if (!value.canConvertToLong()) {
      throw new OpenAiRequests.InvalidException(field, "invalid_value", field + " is out of range");
    }
    return value.longValue();
  }

  static List<String> stop(@Nullable JsonNode stop) {
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    if (stop.isString()) {
      return List.of(stop.asString());
    }
    if (!stop.isArray()) {
      throw OpenAiRequests.InvalidException.type("stop", "a string or an array of strings");
    }
    List<String> sequences = new ArrayList<>();
    for (JsonNode sequence : stop) {
      if (!sequence.isString()) {
        throw OpenAiRequests.InvalidException.type("stop", "a string or an array of strings");
      }
      sequences.add(sequence.asString());
    }
    return sequences;
  }

  static Map<String, Integer> logitBias(@Nullable JsonNode bias) {
    if (bias == null || bias.isNull()) {
      return Map.of();
    }
    if (!bias.isObject()) {
      throw OpenAiRequests.InvalidException.type(
          "logit_bias", "an object of token ids to integers");
    }
    Map<String, Integer> biases = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : bias.properties()) {
      JsonNode value = entry.getValue();
      if (!value.isNumber() || !value.canConvertToInt() || value.doubleValue() % 1 != 0) {
        throw OpenAiRequests.InvalidException.type(
            "logit_bias", "an object of token ids to integers");
      }
      biases.put(entry.getKey(), value.intValue());
    }
    return biases;
  }
}
