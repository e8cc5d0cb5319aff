package dev.grizz.engine.mcp;

import dev.grizz.engine.tool.Tool;
import dev.grizz.engine.tool.ToolDefinition;
import dev.grizz.engine.tool.ToolInput;
import dev.grizz.engine.tool.ToolLimits;
import dev.grizz.engine.tool.ToolOutput;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One tool of an MCP server as the engine offers it: named {@code <server>__<tool>} so it cannot
 * collide with a built-in or another server's tool, its schema as the server gave it, and limits
 * from the server's settings and the tool's annotations (idempotent only when the server says it is
 * idempotent or read-only). A call goes to the server through its {@link McpConnection}.
 */
final class McpTool implements Tool {

  static final String SEPARATOR = "__";
  private static final int MAX_NAME = 64;
  private static final int MAX_LIST_PAGES = 20;
  private static final Logger log = LoggerFactory.getLogger(McpTool.class);

  private final ToolDefinition definition;
  private final String remoteName;
  private final McpConnection connection;

  private McpTool(ToolDefinition definition, String remoteName, McpConnection connection) {
    this.definition = definition;
    this.remoteName = remoteName;
    this.connection = connection;
  }

  static McpTool of(
      McpSchema.Tool tool, McpServerConfig server, McpConnection connection, JsonMapper json) {
    McpSchema.ToolAnnotations hints = tool.annotations();
    boolean idempotent =
        hints != null
            && (Boolean.TRUE.equals(hints.idempotentHint())
                || Boolean.TRUE.equals(hints.readOnlyHint()));
    ToolLimits limits =
        ToolLimits.DEFAULT
            .withTimeout(server.timeout())
            .idempotent(idempotent)
            .needsApproval(server.approval());
    String description = tool.description();
    if (description == null || description.isBlank()) {
      description = tool.title() != null ? tool.title() : "The tool " + tool.name() + ".";
    }
    ToolDefinition definition =
        new ToolDefinition(
            exposedName(server.name(), tool.name()),
            description,
            schema(tool.inputSchema(), json),
            limits,
            server.source());
    return new McpTool(definition, tool.name(), connection);
  }

  @Override
  public ToolDefinition definition() {
    return definition;
  }

  /** The tool's name on its server. */
  String remoteName() {
    return remoteName;
  }

  @Override
  public ToolOutput call(ToolInput input) {
    return connection.call(remoteName, input.arguments(), input.cancel());
  }

  @Override
  public String toString() {
    return definition.name() + " (" + definition.source() + ")";
  }

  /**
   * {@code <server>__<tool>}, with what a model's tool name may not hold replaced by {@code _}; a
   * name past 64 characters is cut and ends in a hash of the whole, so two long names stay apart.
   */
  static String exposedName(String server, String tool) {
    String name = server + SEPARATOR + tool.replaceAll("[^a-zA-Z0-9_-]", "_");
    if (name.length() <= MAX_NAME) {
      return name;
    }
    String hash = HexFormat.of().formatHex(sha256(tool), 0, 4);
    return name.substring(0, MAX_NAME - hash.length() - 1) + "_" + hash;
  }

  /**
   * The tool's input schema as an object schema. {@code $schema} is dropped: the engine checks
   * arguments with its own dialect, and a server's unknown meta-schema must not break the check.
   */
  private static JsonNode schema(Map<String, Object> input, JsonMapper json) {
    JsonNode node = input == null ? null : json.valueToTree(input);
    ObjectNode schema =
        node != null && node.isObject() ? (ObjectNode) node : json.createObjectNode();
    schema.remove("$schema");
    if (!schema.has("type")) {
      schema.put("type", "object");
    }
    return schema;
  }

  /** Every tool the server lists, following its cursor for up to 20 pages. */
  static List<McpSchema.Tool> listAll(McpSyncClient from) {
    List<McpSchema.Tool> all = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < MAX_LIST_PAGES; page++) {
      McpSchema.ListToolsResult result = from.listTools(cursor);
      if (result.tools() != null) {
        all.addAll(result.tools());
      }
      cursor = result.nextCursor();
      if (cursor == null || cursor.isEmpty()) {
        break;
      }
    }
    return all;
  }

  /**
   * The server's tools as the engine offers them; a tool that cannot be offered (its name or
   * schema) is left out with a warning, and of two that share a name once made safe, the first.
   */
  static List<Tool> convertAll(
      List<McpSchema.Tool> listed,
      McpServerConfig server,
      McpConnection connection,
      JsonMapper json) {
    Map<String, Tool> byName = new LinkedHashMap<>();
    for (McpSchema.Tool tool : listed) {
      try {
        McpTool made = of(tool, server, connection, json);
        if (byName.putIfAbsent(made.definition().name(), made) != null) {
          log.warn(
              "MCP server '{}' has two tools named '{}' once made safe; the first is kept",
              server.name(),
              made.definition().name());
        }
      } catch (RuntimeException e) {
        log.warn(
            "MCP server '{}' offers a tool that cannot be used ({}): {}",
            server.name(),
            tool.name(),
            McpConnection.reason(e));
      }
    }
    return List.copyOf(byName.values());
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
