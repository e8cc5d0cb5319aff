package dev.grizz.engine.mcp;

import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.tool.Tool;
import dev.grizz.engine.tool.ToolOutput;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One MCP server as the engine sees it: a client connected on first need (in the background when
 * only listing), the server's tools as last known, and a backoff after a failure. It trades
 * freshness for never blocking: listing answers what was last known (waiting briefly only for a
 * first connection), and a call to a server that failed recently is refused at once until the
 * backoff passes; then the call itself connects again. The list is refreshed when the server says
 * it changed ({@code notifications/tools/list_changed}) and when {@link #refresh()} is called.
 */
final class McpConnection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(McpConnection.class);
  private static final TypeReference<Map<String, Object>> ARGUMENTS = new TypeReference<>() {};

  private final McpServerConfig server;
  private final Callable<McpClientTransport> transports;
  private final McpSettings settings;
  private final JsonMapper json;
  private final Clock clock;
  private final AtomicInteger listChanges = new AtomicInteger();

  private volatile List<Tool> tools = List.of();
  private volatile @Nullable McpSyncClient client;
  private volatile @Nullable CompletableFuture<Void> connecting;
  private volatile Instant retryAt = Instant.MIN;
  private volatile @Nullable String lastFailure;
  private volatile Instant lastUsed;
  private int failures;
  private boolean closed;

  McpConnection(
      McpServerConfig server,
      Callable<McpClientTransport> transports,
      McpSettings settings,
      JsonMapper json,
      Clock clock) {
    this.server = server;
    this.transports = transports;
    this.settings = settings;
    this.json = json;
    this.clock = clock;
    this.lastUsed = clock.instant();
  }

  McpServerConfig server() {
    return server;
  }

  /**
   * The server's tools as last known. Never fails: when not connected it starts connecting in the
   * background, waiting up to {@code grizz.mcp.list-wait} only if no list was ever known.
   */
  List<Tool> tools() {
    lastUsed = clock.instant();
    if (client == null) {
      CompletableFuture<Void> pending = connectInBackground();
      if (pending != null && tools.isEmpty() && !settings.listWait().isZero()) {
        try {
          pending.get(settings.listWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
          // answered without this server's tools; the connection goes on in the background
        }
      }
    }
    return tools;
  }

  /** Asks a connected server for its tools again, or connects one that is not (when due). */
  void refresh() {
    McpSyncClient current = client;
    if (current == null) {
      connectInBackground();
      return;
    }
    try {
      tools = McpTool.convertAll(McpTool.listAll(current), server, this, json);
    } catch (RuntimeException e) {
      failed(current, e);
    }
  }

  /** Calls the tool named {@code remoteName} on the server; every failure is an error result. */
  ToolOutput call(String remoteName, JsonNode arguments, CancelSignal cancel) {
    lastUsed = clock.instant();
    if (cancel.isCancelled()) {
      return ToolOutput.error("The call was cancelled.");
    }
    McpSyncClient current = client;
    if (current == null) {
      if (clock.instant().isBefore(retryAt)) {
        return unreachable();
      }
      try {
        current = connect();
      } catch (RuntimeException e) {
        return unreachable();
      }
    }
    // A cancel (the user's, or the time limit) arrives as the interrupt ToolCalls sends when
    // ToolInput.cancel() fires: the SDK's blocking call then disposes of the request at once.
    try {
      McpSchema.CallToolResult result =
          current.callTool(
              McpSchema.CallToolRequest.builder(remoteName)
                  .arguments(json.convertValue(arguments, ARGUMENTS))
                  .build());
      return McpResults.output(result, json);
    } catch (McpError e) {
      return ToolOutput.error(
          "The MCP server '" + server.name() + "' refused the call: " + e.getMessage());
    } catch (RuntimeException e) {
      if (cancel.isCancelled() || Thread.currentThread().isInterrupted() || interrupted(e)) {
        return ToolOutput.error("The call was cancelled.");
      }
      if (caused(e, TimeoutException.class)) {
        // A slow tool, not a broken server: the connection stays, with no backoff for others.
        return ToolOutput.error(
            "The MCP server '"
                + server.name()
                + "' did not answer the call in time ("
                + reason(e)
                + "). It may or may not have run.");
      }
      failed(current, e);
      return ToolOutput.error(
          "The MCP server '"
              + server.name()
              + "' did not answer the call properly ("
              + reason(e)
              + "). It may or may not have run.");
    }
  }

  /** How many times the server said its tool list changed. */
  int listChanges() {
    return listChanges.get();
  }

  /** When a tool was last listed or called. */
  Instant lastUsed() {
    return lastUsed;
  }

  @Override
  public void close() {
    McpSyncClient current;
    synchronized (this) {
      closed = true;
      current = client;
      client = null;
    }
    if (current != null) {
      closeQuietly(current);
    }
  }

  private ToolOutput unreachable() {
    long seconds = Math.max(1, Duration.between(clock.instant(), retryAt).toSeconds());
    return ToolOutput.error(
        "The MCP server '"
            + server.name()
            + "' cannot be reached ("
            + (lastFailure == null ? "unknown reason" : lastFailure)
            + "). It will be tried again"
            + (retryAt.isAfter(clock.instant()) ? " in about " + seconds + " s" : "")
            + "; go on without it for now.");
  }

  private synchronized @Nullable CompletableFuture<Void> connectInBackground() {
    if (closed || client != null) {
      return null;
    }
    if (connecting != null) {
      return connecting;
    }
    if (clock.instant().isBefore(retryAt)) {
      return null;
    }
    CompletableFuture<Void> pending = new CompletableFuture<>();
    connecting = pending;
    Thread.ofVirtual()
        .name("mcp-connect-" + server.name())
        .start(
            () -> {
              try {
                connect();
              } catch (RuntimeException e) {
                // connect() logged it and set the backoff
              } finally {
                synchronized (this) {
                  connecting = null;
                }
                pending.complete(null);
              }
            });
    return pending;
  }

  /** Connects, initialises and lists; on failure sets the backoff and throws. */
  private McpSyncClient connect() {
    McpSyncClient made = null;
    try {
      made =
          McpClient.sync(transports.call())
              .requestTimeout(server.timeout())
              .initializationTimeout(settings.connectTimeout())
              .clientInfo(McpSchema.Implementation.builder("grizz", "1").build())
              .capabilities(McpSchema.ClientCapabilities.builder().build())
              .toolsChangeConsumer(this::listChanged)
              .build();
      made.initialize();
      List<Tool> listed = McpTool.convertAll(McpTool.listAll(made), server, this, json);
      McpSyncClient previous;
      synchronized (this) {
        if (closed) {
          closeQuietly(made);
          throw new IllegalStateException("closed");
        }
        previous = client;
        client = made;
        tools = listed;
        failures = 0;
        retryAt = Instant.MIN;
        lastFailure = null;
      }
      if (previous != null) {
        closeQuietly(previous);
      }
      log.info("MCP server '{}' connected: {} tools", server.name(), listed.size());
      return made;
    } catch (Exception e) {
      failed(made, e);
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  private void listChanged(List<McpSchema.Tool> listed) {
    listChanges.incrementAndGet();
    try {
      tools = McpTool.convertAll(listed, server, this, json);
      log.info("MCP server '{}' changed its tools: {} now", server.name(), tools.size());
    } catch (RuntimeException e) {
      log.warn(
          "MCP server '{}' sent a tool list that cannot be used: {}", server.name(), reason(e));
    }
  }

  private synchronized void failed(@Nullable McpSyncClient broken, Exception e) {
    failures++;
    long factor = 1L << Math.min(failures - 1, 20);
    Duration wait = settings.retryBackoff().multipliedBy(factor);
    if (wait.compareTo(settings.retryBackoffMax()) > 0) {
      wait = settings.retryBackoffMax();
    }
    retryAt = clock.instant().plus(wait);
    lastFailure = reason(e);
    if (broken != null && client == broken) {
      client = null;
    }
    log.warn(
        "MCP server '{}' failed ({}); its last known {} tools stay listed, next try in {} s",
        server.name(),
        lastFailure,
        tools.size(),
        wait.toSeconds());
    if (broken != null) {
      closeQuietly(broken);
    }
  }

  private static void closeQuietly(McpSyncClient made) {
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                made.close();
              } catch (RuntimeException e) {
                log.debug("closing an MCP client failed: {}", e.getMessage());
              }
            });
  }

  private static boolean interrupted(Throwable e) {
    return caused(e, InterruptedException.class);
  }

  private static boolean caused(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The innermost cause's words, for a log line and an error result. */
  static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof java.net.ConnectException
        || root instanceof java.nio.channels.ClosedChannelException) {
      return "nothing answers at its address";
    }
    if (root instanceof tools.jackson.core.JacksonException) {
      return "it answered with something that is not MCP's JSON";
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      message = root.getClass().getSimpleName();
    }
    return message.length() > 300 ? message.substring(0, 300) + "…" : message;
  }
}
