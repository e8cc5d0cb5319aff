package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An engine of its own whose only provider is Anthropic at a fake upstream, for the tests of {@code
 * /v1/messages}: API keys, raw requests, and the events of a streamed answer.
 */
final class AnthropicEngine implements AutoCloseable {

  static final JsonMapper JSON = JsonMapper.shared();
  static final String MODEL = "claude-haiku-4-5";

  final FakeUpstream upstream = new FakeUpstream();
  final PrivateRedis redis = new PrivateRedis();
  final EngineInstance engine =
      EngineInstance.start(
          TestServers.newDatabase(),
          redis.url(),
          Map.of(
              "grizz.providers.anthropic-base-url",
              upstream.url(""),
              "grizz.providers.anthropic-api-key",
              "sk-ant-upstream",
              "grizz.providers.route",
              "anthropic/" + MODEL));

  @Override
  public void close() {
    engine.close();
    upstream.close();
    redis.close();
  }

  /** Forgets what the upstream received so far. */
  void forget() {
    upstream.requests.clear();
    upstream.headers.clear();
  }

  String key() {
    return key("anthropic");
  }

  String key(String name) {
    return engine
        .adminApi()
        .post("/api/v1/api-keys", "{\"name\":\"" + name + "\"}")
        .body()
        .get("key")
        .asString();
  }

  HttpResponse<String> post(String path, Map<String, String> headers, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.port() + path))
            .header("Content-Type", "application/json")
            .header("anthropic-version", "2023-06-01")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The events' types and payloads, in order. */
  static List<JsonNode> events(String stream) {
    List<JsonNode> events = new ArrayList<>();
    for (String frame : stream.split("\n\n")) {
      String[] lines = frame.split("\n");
      JsonNode data = JSON.readTree(lines[1].substring("data: ".length()));
      assertThat(lines[0]).isEqualTo("event: " + data.path("type").stringValue());
      events.add(data);
    }
    return events;
  }

  /** A whole Anthropic message of this block, as the fake upstream streams it. */
  static FakeUpstream.Reply reply(List<String> block) {
    return FakeUpstream.sse(AnthropicWire.message(25, 0, "end_turn", 9, block));
  }
}
