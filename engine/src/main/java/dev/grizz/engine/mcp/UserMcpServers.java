package dev.grizz.engine.mcp;

import dev.grizz.engine.config.IdGenerator;
import dev.grizz.engine.tool.Tool;
import dev.grizz.engine.tool.ToolSource;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP servers each user adds for themselves: Streamable HTTP only (a user never starts a
 * process on the engine's machine), checked against the address rule when added and before each
 * connection, header values encrypted at rest and never shown again. A user's servers' tools are
 * offered to that user only; connections are made on first need and closed when idle.
 */
@Service
@Order(2)
public class UserMcpServers implements ToolSource, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(UserMcpServers.class);
  private static final int MAX_HEADERS = 20;
  private static final int MAX_HEADER_VALUE = 8192;
  private static final int MAX_URL = 2048;
  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "host",
          "content-length",
          "connection",
          "expect",
          "upgrade",
          "transfer-encoding",
          "accept",
          "content-type",
          "mcp-session-id",
          "mcp-protocol-version",
          "last-event-id");
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

  /** A server as its owner sees it: header names, never their values. */
  public record Listed(
      UUID id, String name, String url, List<String> headerNames, Instant createdAt) {}

  private final UserMcpServerRows rows;
  private final McpSettings settings;
  private final McpSecrets secrets;
  private final Set<String> operatorNames;
  private final JsonMapper json;
  private final IdGenerator ids;
  private final Clock clock;
  private final Map<UUID, McpConnection> connections = new ConcurrentHashMap<>();
  private final ScheduledExecutorService closer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofVirtual().name("mcp-user-idle").factory());

  UserMcpServers(
      UserMcpServerRows rows, McpSettings settings, JsonMapper json, IdGenerator ids, Clock clock) {
    this.rows = rows;
    this.settings = settings;
    this.secrets = new McpSecrets(settings.secretKeyBytes());
    this.operatorNames =
        Set.copyOf(settings.serverList(json).stream().map(McpServerConfig::name).toList());
    this.json = json;
    this.ids = ids;
    this.clock = clock;
    long every = settings.refreshInterval().toMillis();
    closer.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.MILLISECONDS);
  }

  /** Adds a server for {@code userId}; refuses what cannot be stored with its reason. */
  public Listed add(UUID userId, String name, String url, Map<String, String> headers) {
    String cleanName = name.strip();
    if (!cleanName.matches(McpServerConfig.NAME_PATTERN)) {
      throw new McpServerRejectedException(
          "invalid_mcp_server_name",
          "name",
          "A server's name is 1 to 32 letters, digits or dashes; it prefixes its tools' names.");
    }
    if (operatorNames.contains(cleanName) || rows.nameTaken(userId, cleanName)) {
      throw new McpServerRejectedException(
          "mcp_server_name_taken", "name", "A server named '" + cleanName + "' exists already.");
    }
    URI uri = checkedUrl(url.strip());
    Map<String, String> checkedHeaders = checkedHeaders(headers);
    if (!checkedHeaders.isEmpty() && !secrets.available()) {
      throw new McpServerRejectedException(
          "mcp_headers_unavailable",
          "headers",
          "This engine cannot store header values (no GRIZZ_MCP_SECRET_KEY is set); add the"
              + " server without headers or ask the operator.");
    }
    if (rows.count(userId) >= settings.maxUserServers()) {
      throw new McpServerRejectedException(
          "too_many_mcp_servers",
          "url",
          "You have "
              + settings.maxUserServers()
              + " servers, the most allowed; delete one first.");
    }
    UUID id = ids.next();
    String encrypted =
        checkedHeaders.isEmpty()
            ? null
            : secrets.encrypt(id, json.writeValueAsString(checkedHeaders));
    UserMcpServerRows.Row row =
        new UserMcpServerRows.Row(
            id,
            userId,
            cleanName,
            uri.toString(),
            List.copyOf(checkedHeaders.keySet()),
            encrypted,
            clock.instant());
    rows.insert(row);
    return listed(row);
  }

  /** The user's servers, oldest first. */
  public List<Listed> list(UUID userId) {
    return rows.forUser(userId).stream().map(UserMcpServers::listed).toList();
  }

  /** Deletes one of the user's servers; false when they have none with this id. */
  public boolean delete(UUID userId, UUID id) {
    boolean deleted = rows.delete(userId, id);
    closeConnection(id);
    return deleted;
  }

  /** Deletes all of the user's servers (erasure); how many there were. */
  public int deleteAll(UUID userId) {
    List<UUID> deleted = rows.deleteAll(userId);
    deleted.forEach(this::closeConnection);
    return deleted.size();
  }

  @Override
  public List<Tool> tools(UUID userId) {
    List<UserMcpServerRows.Row> owned = rows.forUser(userId);
    if (owned.isEmpty()) {
      return List.of();
    }
    List<Tool> all = new ArrayList<>();
    // Each server's first connection may be waited for: side by side, so the waits do not add up.
    try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<Tool>>> listed = new ArrayList<>();
      for (UserMcpServerRows.Row row : owned) {
        listed.add(each.submit(() -> toolsOf(row)));
      }
      for (Future<List<Tool>> tools : listed) {
        try {
          all.addAll(tools.get());
        } catch (Exception e) {
          log.warn("a user's MCP server could not list its tools: {}", McpConnection.reason(e));
        }
      }
    }
    return all;
  }

  private List<Tool> toolsOf(UserMcpServerRows.Row row) {
    McpConnection connection = connections.computeIfAbsent(row.id(), id -> connect(row));
    return connection.tools();
  }

  private McpConnection connect(UserMcpServerRows.Row row) {
    Map<String, String> headers =
        row.headersEncrypted() == null
            ? Map.of()
            : json.readValue(secrets.decrypt(row.id(), row.headersEncrypted()), HEADERS);
    McpServerConfig server =
        new McpServerConfig(
            row.name(),
            URI.create(row.url()),
            headers,
            List.of(),
            Map.of(),
            false,
            settings.timeout());
    return new McpConnection(
        server, McpTransports.of(server, settings, json, true), settings, json, clock);
  }

  private URI checkedUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new McpServerRejectedException(
          "invalid_mcp_server_url", "url", "The url is not a URL.");
    }
    if (url.length() > MAX_URL) {
      throw new McpServerRejectedException(
          "invalid_mcp_server_url", "url", "The url is longer than " + MAX_URL + " characters.");
    }
    String refusal = McpAddresses.refusal(uri, settings.allowPrivateAddresses());
    if (refusal != null) {
      throw new McpServerRejectedException("invalid_mcp_server_url", "url", refusal);
    }
    return uri;
  }

  private static Map<String, String> checkedHeaders(Map<String, String> headers) {
    if (headers.size() > MAX_HEADERS) {
      throw new McpServerRejectedException(
          "invalid_mcp_header", "headers", "At most " + MAX_HEADERS + " headers.");
    }
    Map<String, String> checked = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      String name = header.getKey();
      String value = header.getValue() == null ? "" : header.getValue();
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}")) {
        throw new McpServerRejectedException(
            "invalid_mcp_header", "headers", "'" + name + "' is not a header name.");
      }
      if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new McpServerRejectedException(
            "invalid_mcp_header", "headers", "The header '" + name + "' is set by the engine.");
      }
      if (value.length() > MAX_HEADER_VALUE || value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
        throw new McpServerRejectedException(
            "invalid_mcp_header",
            "headers",
            "The value of '" + name + "' holds a control character or is too long.");
      }
      if (checked.put(name, value) != null) {
        throw new McpServerRejectedException(
            "invalid_mcp_header", "headers", "The header '" + name + "' is given twice.");
      }
    }
    return checked;
  }

  private void closeIdle() {
    Instant idleSince = clock.instant().minus(settings.refreshInterval().multipliedBy(2));
    connections.forEach(
        (id, connection) -> {
          if (connection.lastUsed().isBefore(idleSince)) {
            closeConnection(id);
          }
        });
  }

  private void closeConnection(UUID id) {
    McpConnection connection = connections.remove(id);
    if (connection != null) {
      connection.close();
    }
  }

  private static Listed listed(UserMcpServerRows.Row row) {
    return new Listed(row.id(), row.name(), row.url(), row.headerNames(), row.createdAt());
  }

  @Override
  public void destroy() {
    closer.shutdownNow();
    connections.values().forEach(McpConnection::close);
  }

  @Override
  public String toString() {
    return "users' MCP servers";
  }
}
