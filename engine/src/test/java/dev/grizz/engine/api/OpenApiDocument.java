package dev.grizz.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The engine's OpenAPI document as a tree, with the few look-ups the checks on it need. Read with
 * Jackson's YAML parser (the one swagger-parser uses), independent of the SnakeYAML reading the
 * engine serves as JSON, so the two can be compared.
 */
final class OpenApiDocument {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  /** One operation: method (upper case), path, and its tree. */
  record Operation(String method, String path, JsonNode node) {
    String key() {
      return method + " " + path;
    }
  }

  final JsonNode root;

  OpenApiDocument(JsonNode root) {
    this.root = root;
  }

  static OpenApiDocument fromClasspath() {
    try (InputStream in =
        OpenApiDocument.class.getClassLoader().getResourceAsStream(OpenApiController.DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(OpenApiController.DOCUMENT + " is not on the class path");
      }
      return new OpenApiDocument(YAML.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Operation> operations() {
    List<Operation> operations = new ArrayList<>();
    root.path("paths")
        .properties()
        .forEach(
            path -> {
              for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation != null) {
                  operations.add(
                      new Operation(method.toUpperCase(Locale.ROOT), path.getKey(), operation));
                }
              }
            });
    return operations;
  }

  JsonNode schema(String name) {
    JsonNode schema = root.path("components").path("schemas").get(name);
    if (schema == null) {
      throw new AssertionError("no schema " + name + " in the document");
    }
    return schema;
  }

  /** The node a local {@code $ref} names, or the node itself when it is no reference. */
  JsonNode resolve(JsonNode node) {
    JsonNode ref = node.get("$ref");
    if (ref == null) {
      return node;
    }
    String pointer = ref.asText();
    if (!pointer.startsWith("#/")) {
      throw new AssertionError("not a local reference: " + pointer);
    }
    JsonNode target = root.at(pointer.substring(1));
    if (target.isMissingNode()) {
      throw new AssertionError("a reference to nothing: " + pointer);
    }
    return resolve(target);
  }

  /** The names of an object schema's properties (after references). */
  Set<String> propertyNames(JsonNode schema) {
    Set<String> names = new TreeSet<>();
    resolve(schema).path("properties").properties().forEach(p -> names.add(p.getKey()));
    return names;
  }

  /** A record's components as the engine's mapper names them on the wire (snake_case). */
  static Set<String> wireNames(Class<?> record, String... extra) {
    RecordComponent[] components = record.getRecordComponents();
    if (components == null) {
      throw new AssertionError(record + " is not a record");
    }
    Set<String> names = new TreeSet<>(Arrays.asList(extra));
    for (RecordComponent component : components) {
      names.add(snake(component.getName()));
    }
    return names;
  }

  static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /**
   * Where {@code value} departs from {@code schema}: a property the schema does not name, a
   * required one missing, a value of the wrong JSON type. Enough of JSON Schema for error bodies
   * ($ref, type, properties, required, additionalProperties); empty when it conforms.
   */
  List<String> violations(JsonNode value, JsonNode schema, String where) {
    List<String> problems = new ArrayList<>();
    JsonNode resolved = resolve(schema);
    JsonNode type = resolved.get("type");
    if (type != null && !typeAllows(type, value)) {
      problems.add(where + " is " + value.getNodeType() + ", the schema says " + type);
      return problems;
    }
    if (!value.isObject()) {
      return problems;
    }
    resolved
        .path("required")
        .forEach(
            name -> {
              if (!value.has(name.asText())) {
                problems.add(where + "." + name.asText() + " is required but missing");
              }
            });
    JsonNode properties = resolved.path("properties");
    boolean open = resolved.path("additionalProperties").asBoolean(!properties.isObject());
    value
        .properties()
        .forEach(
            field -> {
              JsonNode property = properties.get(field.getKey());
              if (property != null) {
                problems.addAll(
                    violations(field.getValue(), property, where + "." + field.getKey()));
              } else if (!open) {
                problems.add(where + "." + field.getKey() + " is not in the schema");
              }
            });
    return problems;
  }

  private static boolean typeAllows(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode one : type) {
        if (typeAllows(one, value)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> false;
    };
  }

  /** The names of the query parameters of an operation, its path's included. */
  Set<String> queryParameters(String path, JsonNode operation) {
    Set<String> names = new TreeSet<>();
    List<JsonNode> parameters = new ArrayList<>();
    root.path("paths").path(path).path("parameters").forEach(parameters::add);
    operation.path("parameters").forEach(parameters::add);
    for (JsonNode parameter : parameters) {
      JsonNode resolved = resolve(parameter);
      if (resolved.path("in").asText().equals("query")) {
        names.add(resolved.path("name").asText());
      }
    }
    return names;
  }

  /**
   * Whether the engine's route pattern is the document's path: the same segments, whatever the
   * variables are called ({@code {*id}} captures the rest of the path; the document writes it
   * {@code {id}}); a {@code /**} pattern covers each path it matches.
   */
  static boolean covers(String pattern, String path) {
    if (shape(pattern).equals(shape(path))) {
      return true;
    }
    return pattern.endsWith("/**")
        && PathPatternParser.defaultInstance.parse(pattern).matches(PathContainer.parsePath(path));
  }

  static String shape(String path) {
    return path.replaceAll("\\{\\*?[^}/]+}", "{}");
  }

  /** The error schema of the API a path belongs to. */
  static String errorSchema(String path) {
    if (path.equals("/v1/messages") || path.startsWith("/v1/messages/")) {
      return "AnthropicError";
    }
    return path.startsWith("/v1/") ? "OpenAiError" : "Error";
  }
}
