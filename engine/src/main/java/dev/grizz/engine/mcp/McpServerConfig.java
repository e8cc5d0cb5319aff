package dev.grizz.engine.mcp;

import dev.grizz.engine.config.SettingException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One MCP server the engine connects to: a Streamable HTTP {@code url} (with optional headers) or a
 * stdio {@code command} (with optional environment), the tool timeout, and whether each call needs
 * the user's approval.
 *
 * @param name the server's name, the prefix of its tools' names ({@code <name>__<tool>})
 * @param url the Streamable HTTP endpoint, or null for a stdio server
 * @param headers sent with every HTTP request (an {@code Authorization} header, say)
 * @param command the program and its arguments for a stdio server, or empty
 * @param env extra environment of a stdio server's process
 * @param approval whether every call to this server's tools waits for the user's approval
 * @param timeout the longest one call may take
 */
record McpServerConfig(
    String name,
    @Nullable URI url,
    Map<String, String> headers,
    List<String> command,
    Map<String, String> env,
    boolean approval,
    Duration timeout) {

  /** Letters, digits and dashes: a server's name must leave room in a 64-character tool name. */
  static final String NAME_PATTERN = "[a-zA-Z0-9-]{1,32}";

  static final Set<String> FIELDS =
      Set.of("name", "url", "headers", "command", "env", "approval", "timeout_seconds");

  McpServerConfig {
    headers = Map.copyOf(headers);
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }

  boolean stdio() {
    return url == null;
  }

  /** The source a tool of this server names ({@code mcp:<name>}). */
  String source() {
    return "mcp:" + name;
  }

  /**
   * Parses the operator's list, a JSON array of objects: {@code [{"name":"docs","url":"https://…",
   * "headers":{…}}, {"name":"fs","command":["npx","-y","…"],"env":{…}}]}. Each mistake names {@code
   * property}, the server and the field, and fails start-up.
   */
  static List<McpServerConfig> parseAll(
      @Nullable String text, String property, JsonMapper json, Duration defaultTimeout) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    JsonNode root;
    try {
      root = json.readTree(text);
    } catch (JacksonException e) {
      throw new SettingException(
          property, "is not valid JSON (" + e.getOriginalMessage() + "); expected an array");
    }
    if (!root.isArray()) {
      throw new SettingException(property, "must be a JSON array of servers");
    }
    List<McpServerConfig> servers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode node : root) {
      McpServerConfig server = parse(node, property, defaultTimeout);
      if (!names.add(server.name())) {
        throw new SettingException(property, "names the server '" + server.name() + "' twice");
      }
      servers.add(server);
    }
    return List.copyOf(servers);
  }

  private static McpServerConfig parse(JsonNode node, String property, Duration defaultTimeout) {
    if (!node.isObject()) {
      throw new SettingException(property, "must list servers as JSON objects");
    }
    String name = node.path("name").asString("");
    if (!name.matches(NAME_PATTERN)) {
      throw new SettingException(
          property,
          "has a server named '"
              + name
              + "': a name is 1 to 32 letters, digits or dashes (it prefixes its tools' names)");
    }
    String where = property + " (server '" + name + "')";
    for (String field : node.propertyNames()) {
      if (!FIELDS.contains(field)) {
        throw new SettingException(where, "has an unknown field '" + field + "'; known: " + FIELDS);
      }
    }
    boolean hasUrl = node.has("url");
    boolean hasCommand = node.has("command");
    if (hasUrl == hasCommand) {
      throw new SettingException(where, "needs either a url or a command, not both or neither");
    }
    URI url = null;
    if (hasUrl) {
      try {
        url = URI.create(node.get("url").asString(""));
      } catch (IllegalArgumentException e) {
        throw new SettingException(where, "has a url that is not a URL");
      }
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())
          || url.getHost() == null) {
        throw new SettingException(where, "has a url that is not http(s)://host/…");
      }
    }
    List<String> command = new ArrayList<>();
    if (hasCommand) {
      JsonNode array = node.get("command");
      if (!array.isArray() || array.isEmpty()) {
        throw new SettingException(where, "needs its command as a non-empty array of strings");
      }
      array.forEach(part -> command.add(part.asString("")));
      if (command.getFirst().isBlank()) {
        throw new SettingException(where, "has a blank program in its command");
      }
    }
    Duration timeout = defaultTimeout;
    if (node.has("timeout_seconds")) {
      long seconds = node.get("timeout_seconds").asLong(0);
      SettingException.check(
          seconds >= 1 && seconds <= 3600,
          where + " timeout_seconds",
          node.get("timeout_seconds"),
          "must be 1 to 3600 seconds");
      timeout = Duration.ofSeconds(seconds);
    }
    return new McpServerConfig(
        name,
        url,
        strings(node.path("headers"), where + " headers"),
        command,
        strings(node.path("env"), where + " env"),
        node.path("approval").asBoolean(false),
        timeout);
  }

  private static Map<String, String> strings(JsonNode node, String where) {
    if (node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new SettingException(where, "must be a JSON object of strings");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!entry.getValue().isString()) {
        throw new SettingException(
            where, "has a value for '" + entry.getKey() + "' that is not a string");
      }
      values.put(entry.getKey(), entry.getValue().asString());
    }
    return values;
  }
}
