package dev.grizz.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Security headers, CORS and WebSocket origins, body and content limits. */
@EngineIT
class WebSecurityIT {

  @LocalServerPort int port;

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  @Test
  void everyResponseCarriesSecurityHeaders() {
    ApiClient.Reply reply = new ApiClient(port).get("/health");

    assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(reply.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(reply.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(reply.header("Content-Security-Policy"))
        .contains("default-src 'self'")
        .contains("frame-ancestors 'none'");
  }

  @Test
  void anAllowedOriginMayCallTheApiAndOthersMayNot() throws Exception {
    HttpResponse<String> allowed =
        send(
            HttpRequest.newBuilder(uri("/api/v1/conversations"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://allowed.example")
                .header("Access-Control-Request-Method", "POST"));
    HttpResponse<String> denied =
        send(
            HttpRequest.newBuilder(uri("/api/v1/conversations"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST"));

    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://allowed.example");
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void aLargeSocketMessageArrivesWholeAndATooLargeOneClosesTheSocket() throws Exception {
    ApiClient api = new ApiClient(port);
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
    try {
      // Larger than Tomcat's per-socket buffer (8 KiB), within the content and context limits.
      String content = "word ".repeat(2500).strip();
      ws.sendJson(Map.of("type", "user_message", "content", content, "client_msg_id", "big-1"));
      tools.jackson.databind.JsonNode frame = ws.next();
      while (!frame.path("type").asString().equals("message.accepted")) {
        frame = ws.next();
      }
      assertThat(frame.at("/data/client_msg_id").asString()).isEqualTo("big-1");

      ws.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> ws.isClosed());
      assertThat(ws.closeCode).isEqualTo(1009);
    } finally {
      ws.close();
    }
  }

  @Test
  void aBrowserOnAnAllowedOriginCanReadA401() throws Exception {
    HttpResponse<String> refused =
        send(
            HttpRequest.newBuilder(uri("/api/v1/conversations"))
                .GET()
                .header("Origin", "https://allowed.example"));

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://allowed.example");
    assertThat(refused.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
        .contains("Retry-After");
  }

  private String handshake(String origin) throws IOException {
    ApiClient api = new ApiClient(port);
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /ws/chat/"
                  + conversation
                  + " HTTP/1.1\r\nHost: localhost:"
                  + port
                  + "\r\n"
                  + "Authorization: Bearer "
                  + api.token()
                  + "\r\n"
                  + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: Z3JpenotdGVzdC1rZXkhIQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + (origin == null ? "" : "Origin: " + origin + "\r\n")
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder status = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\r') {
        status.append((char) c);
      }
      return status.toString();
    }
  }

  @Test
  void webSocketsCheckTheOrigin() throws IOException {
    assertThat(handshake("https://evil.example")).startsWith("HTTP/1.1 403");
    assertThat(handshake("https://allowed.example")).startsWith("HTTP/1.1 101");
    assertThat(handshake("http://localhost:" + port)).startsWith("HTTP/1.1 101");
    assertThat(handshake(null)).startsWith("HTTP/1.1 101");
  }

  @Test
  void tokensAndApiAnswersAreNeverCached() {
    ApiClient.Reply session = ApiClient.unauthenticated(port).post("/api/v1/sessions", "");
    assertThat(session.status()).isEqualTo(201);
    assertThat(session.header("Cache-Control")).isEqualTo("no-store");
    assertThat(new ApiClient(port).get("/api/v1/me").header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void theContainersOwnRefusalsAreJsonWithTheHeaders() {
    dev.grizz.engine.RawHttp http = new dev.grizz.engine.RawHttp(port);
    // Before: Tomcat's HTML page without security headers, a 501 for unknown methods, 500 on
    // /error.
    dev.grizz.engine.RawHttp.Response undecodable = http.send("GET", "/api/v1/%zz", Map.of());
    assertThat(undecodable.status()).isEqualTo(400);
    assertThat(undecodable.header("Content-Type")).startsWith("application/json");
    assertThat(undecodable.header("X-Frame-Options")).isEqualTo("DENY");
    // Tomcat passes an escaped slash through (for model ids); the engine refuses it elsewhere.
    dev.grizz.engine.RawHttp.Response slash =
        http.send("GET", "/api/v1/admin%2Fviolations", Map.of());
    assertThat(slash.status()).isEqualTo(400);
    assertThat(slash.header("Content-Type")).startsWith("application/json");
    assertThat(slash.header("X-Frame-Options")).isEqualTo("DENY");
    dev.grizz.engine.RawHttp.Response connect = http.send("CONNECT", "/", Map.of());
    assertThat(connect.status()).isEqualTo(405);
    assertThat(connect.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(http.send("FOO", "/api/v1/me", Map.of()).status()).isEqualTo(405);
    assertThat(http.send("GET", "/error", Map.of()).status()).isEqualTo(404);
  }

  @Test
  void anOversizedBodyIs413BeforeItIsRead() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/api/v1/conversations"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"title\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}")));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("\"code\":\"payload_too_large\"");
  }

  @Test
  void controlCharactersInAMessageAre400() {
    ApiClient api = new ApiClient(port);
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();

    ApiClient.Reply reply =
        api.post(
            "/api/v1/conversations/" + conversation + "/messages",
            "{\"content\":\"bell \\u0007 here\"}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo("content_invalid_characters");
  }
}
