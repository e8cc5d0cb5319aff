package dev.grizz.engine.mcp;

import com.sun.net.httpserver.HttpServer;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.NodeClients;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * An engine whose operator MCP servers are real ones run by the test: the reference "everything"
 * server of {@code @modelcontextprotocol/server-everything} over stdio ({@code everything}) and
 * over Streamable HTTP ({@code web}, and {@code slow} with a 2 s limit), a closed port ({@code
 * down}) and a tiny HTTP server that answers every request with an HTML page ({@code junk}).
 * Started once and shared by the MCP tests (stopped when the JVM exits).
 */
final class McpEngine {

  static final String SECRET_KEY = Base64.getEncoder().encodeToString(new byte[32]);

  private static McpEngine shared;

  final Path everything;
  final int webPort = TestServers.freePort();
  final int downPort = TestServers.freePort();
  final Process web;
  final HttpServer junk;

  /** The headers of the last request the junk server received. */
  volatile com.sun.net.httpserver.Headers junkHeaders;

  final PrivateRedis redis = new PrivateRedis();
  final EngineInstance engine;

  static synchronized McpEngine shared() {
    if (shared == null) {
      shared = new McpEngine();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  private McpEngine() {
    everything =
        NodeClients.installed()
            .resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    web = startWeb();
    junk = startJunk();
    String servers =
        JsonMapper.shared()
            .writeValueAsString(
                new Object[] {
                  Map.of(
                      "name",
                      "everything",
                      "command",
                      new String[] {"node", everything.toString(), "stdio"}),
                  Map.of("name", "web", "url", webUrl()),
                  Map.of("name", "slow", "url", webUrl(), "timeout_seconds", 2),
                  Map.of("name", "down", "url", "http://127.0.0.1:" + downPort + "/mcp"),
                  Map.of(
                      "name",
                      "junk",
                      "url",
                      "http://127.0.0.1:" + junk.getAddress().getPort() + "/mcp",
                      "approval",
                      true)
                });
    engine =
        EngineInstance.start(
            TestServers.newDatabase(),
            redis.url(),
            Map.of(
                "grizz.mcp.servers", servers,
                "grizz.mcp.connect-timeout", "5s",
                "grizz.mcp.list-wait", "10s",
                "grizz.mcp.secret-key", SECRET_KEY,
                "grizz.mcp.allow-private-addresses", "true"));
  }

  String webUrl() {
    return "http://127.0.0.1:" + webPort + "/mcp";
  }

  String junkUrl() {
    return "http://127.0.0.1:" + junk.getAddress().getPort() + "/mcp";
  }

  <T> T bean(Class<T> type) {
    return engine.bean(type);
  }

  private Process startWeb() {
    ProcessBuilder builder =
        new ProcessBuilder("node", everything.toString(), "streamableHttp")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("PORT", Integer.toString(webPort));
    try {
      Process process = builder.start();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (Instant.now().isBefore(deadline)) {
        try {
          new Socket("127.0.0.1", webPort).close();
          return process;
        } catch (IOException notYet) {
          if (!process.isAlive()) {
            throw new IllegalStateException("the everything server exited: " + process.exitValue());
          }
          Thread.sleep(100);
        }
      }
      process.destroyForcibly();
      throw new IllegalStateException("the everything server did not listen within 30 s");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Answers anything with 200 and an HTML page: a server that is up but speaks no MCP. */
  private HttpServer startJunk() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            junkHeaders = exchange.getRequestHeaders();
            byte[] body =
                "<html><body>Not an MCP server {{</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void close() {
    try {
      engine.close();
    } finally {
      web.destroy();
      junk.stop(0);
      redis.close();
    }
  }
}
