package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
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
 * An engine of its own routed to one fake OpenAI upstream ({@code openai/gpt-5-mini}, which the
 * catalog gives every capability), with an API key for {@code /v1}: what the {@code /v1} chat ITs
 * drive, asserting on what the upstream received.
 */
final class V1Engine implements AutoCloseable {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String MODEL = "openai/gpt-5-mini";
  static final String ANSWER = "It is sunny in Paris, 21 degrees.";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final FakeUpstream upstream = new FakeUpstream();
  private final PrivateRedis redis = new PrivateRedis();
  final EngineInstance engine;
  final String key;

  V1Engine() {
    engine =
        EngineInstance.start(
            TestServers.newDatabase(),
            redis.url(),
            Map.of(
                "grizz.providers.openai-base-url",
                upstream.url("/v1"),
                "grizz.providers.openai-api-key",
                "sk-test",
                "grizz.providers.openai-models",
                "gpt-5-mini",
                "grizz.providers.route",
                MODEL));
    key =
        engine
            .adminApi()
            .post("/api/v1/api-keys", "{\"name\":\"v1\"}")
            .body()
            .get("key")
            .asString();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + engine.port() + "/v1";
  }

  record Reply(int status, JsonNode body) {}

  private HttpRequest.Builder request(String body) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + "/chat/completions"))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** A chat completion that does not stream. */
  Reply post(String body, Map<String, String> headers) {
    HttpRequest.Builder request = request(body);
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), JSON.readTree(response.body()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The SSE lines of a streamed chat completion. */
  List<String> streamLines(String body) {
    try {
      return HTTP.send(request(body).build(), HttpResponse.BodyHandlers.ofLines()).body().toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JSON chunks of a streamed chat completion, in order. */
  List<JsonNode> streamChunks(String body) {
    return streamLines(body).stream()
        .filter(line -> line.startsWith("data: {"))
        .map(line -> JSON.readTree(line.substring("data: ".length())))
        .toList();
  }

  /** The body of the upstream's {@code n}th request since it was last cleared. */
  JsonNode upstreamGot(int n) {
    return JSON.readTree(upstream.requests.stream().skip(n).findFirst().orElseThrow());
  }

  /**
   * What the tool ITs' client scripts do: turn 1, the model calls weather(city: Paris), in pieces;
   * turn 2, it answers {@link #ANSWER} in text.
   */
  void scriptToolExchange() {
    upstream.requests.clear();
    upstream.enqueue(
        ChatWire.toolCall("call_w1", "weather", List.of("{\"ci", "ty\":\"Par", "is\"}")),
        ChatWire.text(ANSWER));
  }

  /** The environment of a client script: this engine's {@code /v1}, key, model, and streaming. */
  Map<String, String> clientEnv(boolean stream) {
    return Map.of(
        "BASE_URL", baseUrl(), "API_KEY", key, "MODEL", MODEL, "STREAM", stream ? "1" : "0");
  }

  /** The JSON object a client script printed last. */
  static JsonNode lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  /** Turn 2 as the upstream received it: the assistant's call, then the tool's result. */
  void upstreamGotTheResult() {
    assertThat(upstream.requests).hasSize(2);
    JsonNode first = JSON.readTree(upstream.requests.peek());
    assertThat(first.at("/tools/0/function/name").asString()).isEqualTo("weather");
    JsonNode second = JSON.readTree(new ArrayList<>(upstream.requests).get(1));
    JsonNode messages = second.get("messages");
    JsonNode call = null;
    JsonNode result = null;
    for (JsonNode message : messages) {
      if (message.path("tool_calls").isArray() && !message.path("tool_calls").isEmpty()) {
        call = message;
      }
      if (message.path("role").asString("").equals("tool")) {
        result = message;
      }
    }
    assertThat(call).as(messages.toString()).isNotNull();
    assertThat(call.at("/tool_calls/0/id").asString()).isEqualTo("call_w1");
    assertThat(call.at("/tool_calls/0/function/name").asString()).isEqualTo("weather");
    assertThat(
            JSON.readTree(call.at("/tool_calls/0/function/arguments").asString())
                .get("city")
                .asString())
        .isEqualTo("Paris");
    assertThat(result).as(messages.toString()).isNotNull();
    assertThat(result.get("tool_call_id").asString()).isEqualTo("call_w1");
    assertThat(result.get("content").toString()).contains("sunny");
  }

  @Override
  public void close() {
    engine.close();
    upstream.close();
    redis.close();
  }
}
