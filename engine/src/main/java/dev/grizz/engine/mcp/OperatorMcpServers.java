package dev.grizz.engine.mcp;

import dev.grizz.engine.tool.Tool;
import dev.grizz.engine.tool.ToolSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's MCP servers ({@code GRIZZ_MCP_SERVERS}), whose tools every user may call. They are
 * connected in the background once the engine is ready, so a server that is down or slow delays
 * nothing, and their lists are asked for again every {@code grizz.mcp.refresh-interval}.
 */
@Component
@Order(1)
class OperatorMcpServers implements ToolSource, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(OperatorMcpServers.class);

  private final List<McpConnection> connections;
  private final McpSettings settings;
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("mcp-refresh").factory());

  OperatorMcpServers(McpSettings settings, JsonMapper json, Clock clock) {
    this.settings = settings;
    List<McpConnection> made = new ArrayList<>();
    for (McpServerConfig server : settings.serverList(json)) {
      made.add(
          new McpConnection(
              server, McpTransports.of(server, settings, json, false), settings, json, clock));
    }
    this.connections = List.copyOf(made);
  }

  @EventListener(ApplicationReadyEvent.class)
  void connectAll() {
    if (connections.isEmpty()) {
      return;
    }
    log.info("MCP servers: {}", connections.stream().map(c -> c.server().name()).toList());
    connections.forEach(McpConnection::refresh);
    long every = settings.refreshInterval().toMillis();
    refresher.scheduleWithFixedDelay(this::refreshAll, every, every, TimeUnit.MILLISECONDS);
  }

  /** Asks every server for its tools again now (the periodic refresh, run at once). */
  void refreshAll() {
    for (McpConnection connection : connections) {
      try {
        connection.refresh();
      } catch (RuntimeException e) {
        log.warn(
            "refreshing MCP server '{}' failed: {}", connection.server().name(), e.getMessage());
      }
    }
  }

  @Override
  public List<Tool> tools(UUID userId) {
    List<Tool> all = new ArrayList<>();
    for (McpConnection connection : connections) {
      all.addAll(connection.tools());
    }
    return all;
  }

  /** The connection to the server called {@code name}, for tests and diagnostics. */
  McpConnection connection(String name) {
    return connections.stream()
        .filter(c -> c.server().name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no MCP server '" + name + "'"));
  }

  @Override
  public void destroy() {
    refresher.shutdownNow();
    connections.forEach(McpConnection::close);
  }

  @Override
  public String toString() {
    return "operator MCP servers";
  }
}
