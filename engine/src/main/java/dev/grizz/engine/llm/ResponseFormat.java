package dev.grizz.engine.llm;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The shape the answer must take: free text (the default), any JSON object, or JSON valid against a
 * named schema ({@code strict}: exactly, as OpenAI's structured outputs).
 */
public record ResponseFormat(
    Kind kind, @Nullable String name, @Nullable JsonNode schema, boolean strict) {

  public static final ResponseFormat TEXT = new ResponseFormat(Kind.TEXT, null, null, false);
  public static final ResponseFormat JSON_OBJECT =
      new ResponseFormat(Kind.JSON_OBJECT, null, null, false);

  public ResponseFormat {
    if ((kind == Kind.JSON_SCHEMA) != (schema != null)) {
      throw new InvalidRequestException(
          Feature.JSON_SCHEMA, "a json_schema response format, and only it, has a schema");
    }
    if (schema != null && !schema.isObject()) {
      throw new InvalidRequestException(Feature.JSON_SCHEMA, "the schema must be a JSON object");
    }
  }

  public static ResponseFormat jsonSchema(String name, JsonNode schema, boolean strict) {
    return new ResponseFormat(Kind.JSON_SCHEMA, name, schema, strict);
  }

  public enum Kind {
    TEXT,
    JSON_OBJECT,
    JSON_SCHEMA
  }
}
