package dev.grizz.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Test clients for the three transports, each collecting event frames as JSON. */
public final class StreamClients {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private StreamClients() {}

  /** An open SSE stream read event by event. */
  public static final class Sse implements AutoCloseable {
    private final Stream<String> lines;
    private final Iterator<String> iterator;
    public final int status;

    Sse(HttpResponse<Stream<String>> response) {
      this.status = response.statusCode();
      this.lines = response.body();
      this.iterator = lines.iterator();
    }

    /** The next event's data as JSON (heartbeat comments skipped). */
    public JsonNode next() {
      String data = null;
      while (iterator.hasNext()) {
        String line = iterator.next();
        if (line.startsWith("data: ")) {
          data = line.substring(6);
        } else if (line.isEmpty() && data != null) {
          return JSON.readTree(data);
        }
      }
      throw new AssertionError("the SSE stream ended");
    }

    /** Events up to and including the first that matches. */
    public List<JsonNode> until(Predicate<JsonNode> last) {
      List<JsonNode> events = new ArrayList<>();
      while (true) {
        JsonNode event = next();
        events.add(event);
        if (last.test(event)) {
          return events;
        }
      }
    }

    @Override
    public void close() {
      lines.close();
    }
  }

  /** An SSE GET as the client's user. */
  public static Sse sse(ApiClient api, String path, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + api.port() + path))
            .header("Accept", "text/event-stream");
    api.authHeaders().forEach(request::header);
    headers.forEach(request::header);
    return open(request.GET());
  }

  public static Sse ssePost(ApiClient api, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + api.port() + path))
            .header("Accept", "text/event-stream")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    api.authHeaders().forEach(request::header);
    return open(request);
  }

  private static Sse open(HttpRequest.Builder request) {
    try {
      return new Sse(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A WebSocket whose received frames queue up as JSON. */
  public static final class Ws extends WebSocketClient {
    public final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();

    public volatile int closeCode;

    /** A socket as the client's user (bearer header; browsers use the subprotocol instead). */
    public Ws(ApiClient api, String path) {
      this(api.port(), path, api.authHeaders());
    }

    public Ws(int port, String path, Map<String, String> headers) {
      super(URI.create("ws://localhost:" + port + path), headers);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {
      frames.add(JSON.readTree(message));
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      closeCode = code;
    }

    @Override
    public void onError(Exception e) {}

    public void sendJson(Object frame) {
      send(JSON.writeValueAsString(frame));
    }

    public JsonNode next() {
      try {
        JsonNode frame = frames.poll(20, TimeUnit.SECONDS);
        if (frame == null) {
          throw new AssertionError("no frame within 20 s");
        }
        return frame;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    public List<JsonNode> until(Predicate<JsonNode> last) {
      List<JsonNode> events = new ArrayList<>();
      while (true) {
        JsonNode event = next();
        events.add(event);
        if (last.test(event)) {
          return events;
        }
      }
    }

    public static Ws connect(ApiClient api, String path) {
      Ws ws = new Ws(api, path);
      try {
        // A socket the server refuses after the handshake (an error frame, then close) may be
        // closed again before connectBlocking looks: it connected if it received anything.
        if (!ws.connectBlocking(30, TimeUnit.SECONDS) && ws.frames.isEmpty()) {
          throw new AssertionError("WebSocket did not connect (close code " + ws.closeCode + ")");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return ws;
    }
  }

  public static Predicate<JsonNode> finished(String stepId) {
    return event ->
        event.path("type").asString().equals("step.finished")
            && event.path("step_id").asString().equals(stepId);
  }

  /** Long-polls until the step finishes; returns every event seen. */
  public static List<JsonNode> longPoll(ApiClient api, String conversationId, String stepId) {
    List<JsonNode> events = new ArrayList<>();
    String cursor = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      ApiClient.Reply reply =
          api.get(
              "/api/v1/conversations/"
                  + conversationId
                  + "/events?wait=5s"
                  + (cursor == null ? "" : "&after=" + cursor));
      assertThat(reply.status()).isEqualTo(200);
      for (JsonNode event : reply.body()) {
        events.add(event);
        cursor = event.get("id").asString();
        if (finished(stepId).test(event)) {
          return events;
        }
      }
    }
    throw new AssertionError("long-poll did not see the step finish");
  }

  /**
   * Checks one step's events: complete, in order, seq without gaps or duplicates, no event of an
   * attempt after a later one began, text (after the last restart) equal to the stored one.
   */
  public static void assertCompleteReply(List<JsonNode> events, String stepId, String storedText) {
    List<JsonNode> step =
        events.stream().filter(e -> e.path("step_id").asString().equals(stepId)).toList();
    assertThat(step.getFirst().get("type").asString()).isIn("step.started", "step.restarted");
    assertThat(step.getLast().get("type").asString()).isEqualTo("step.finished");
    long expectedSeq = step.getFirst().get("seq").asLong();
    int attempt = step.getFirst().path("attempt").asInt(0);
    StringBuilder text = new StringBuilder();
    String lastId = "";
    for (JsonNode event : step) {
      long seqFrom = event.path("data").path("seq_from").asLong(event.get("seq").asLong());
      assertThat(seqFrom).as("seq of %s", event).isEqualTo(expectedSeq);
      expectedSeq = event.get("seq").asLong() + 1;
      assertThat(event.get("id").asString()).isNotEqualTo(lastId);
      lastId = event.get("id").asString();
      if (event.get("type").asString().equals("step.restarted")) {
        assertThat(event.at("/data/attempt").asInt())
            .as("attempt of %s", event)
            .isGreaterThan(attempt);
        attempt = event.at("/data/attempt").asInt();
        text.setLength(0);
      }
      assertThat(event.path("attempt").asInt(attempt))
          .as("an event of another attempt than %s: %s", attempt, event)
          .isEqualTo(attempt);
      if (event.get("type").asString().equals("message.delta")) {
        text.append(event.get("data").get("text").asString());
      }
    }
    assertThat(text.toString()).isEqualTo(storedText);
  }
}
