package dev.grizz.engine.api;

import static dev.grizz.engine.StreamClients.assertCompleteReply;
import static dev.grizz.engine.StreamClients.finished;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A WebSocket client that stops reading: its stream backs up in its own socket only, generation
 * goes on at full speed, and another client streams as usual.
 */
@EngineIT
class SlowConsumerIT {

  @LocalServerPort int port;

  /** Opens a WebSocket by hand with a tiny receive buffer, then never reads from it. */
  private Socket stalledSocket(ApiClient api, String conversation) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(1024);
    socket.connect(new java.net.InetSocketAddress("localhost", port));
    String key =
        Base64.getEncoder().encodeToString("grizz-slow-test!".getBytes(StandardCharsets.US_ASCII));
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /ws/chat/"
                + conversation
                + " HTTP/1.1\r\n"
                + "Host: localhost:"
                + port
                + "\r\n"
                + "Authorization: Bearer "
                + api.token()
                + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: "
                + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.read());
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 101");
    return socket;
  }

  @Test
  void aStalledReaderSlowsNeitherGenerationNorOtherClients() throws Exception {
    ApiClient api = new ApiClient(port);
    String busy = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    try (Socket stalled = stalledSocket(api, busy)) {
      List<String> steps = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        steps.add(
            api.post(
                    "/api/v1/conversations/" + busy + "/messages",
                    "{\"content\":\"flood " + i + "\"}")
                .body()
                .get("step_id")
                .asString());
        api.awaitAnswered(busy);
      }

      String other = api.post("/api/v1/conversations", "{}").body().get("id").asString();
      StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + other);
      try {
        ws.sendJson(Map.of("type", "user_message", "content", "am I slowed down?"));
        String step = ws.next().at("/data/step_id").asString();
        List<JsonNode> events = ws.until(finished(step));
        JsonNode messages = api.awaitAnswered(other).get("messages");
        assertCompleteReply(events, step, messages.get(1).get("content").asString());
      } finally {
        ws.closeBlocking();
      }
      JsonNode busySteps = api.get("/api/v1/conversations/" + busy).body().get("steps");
      assertThat(busySteps).hasSize(80);
      for (JsonNode step : busySteps) {
        assertThat(step.get("status").asString()).isEqualTo("completed");
      }
      assertThat(stalled.isClosed()).isFalse();
    }
  }
}
