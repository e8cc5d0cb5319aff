package dev.grizz.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for tests: real requests to an engine on a port, JSON bodies. */
public final class ApiClient {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final JsonMapper json = JsonMapper.builder().build();
  private final String base;

  public ApiClient(int port) {
    this.base = "http://localhost:" + port;
  }

  /** A response with its status, headers and body parsed as JSON (null for an empty body). */
  public record Reply(
      int status, Map<String, java.util.List<String>> headers, JsonNode body, String raw) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }

    public String errorCode() {
      return body.path("error").path("code").asString();
    }
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), Map.of());
  }

  public Reply get(String path, Map<String, String> headers) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
  }

  public Reply delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE(), Map.of());
  }

  public Reply post(String path, String body) {
    return send(path, "POST", body, "application/json");
  }

  public Reply patch(String path, String body) {
    return send(path, "PATCH", body, "application/json");
  }

  public Reply send(String path, String method, String body, String contentType) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", contentType),
        Map.of());
  }

  /** The conversation once its latest answer step has finished (waits up to 30 s). */
  public JsonNode awaitAnswered(String conversationId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode conversation = get("/api/v1/conversations/" + conversationId).body();
      JsonNode steps = conversation.get("steps");
      if (steps != null && steps.size() > 0) {
        String status = steps.get(steps.size() - 1).get("status").asString();
        if (!status.equals("queued") && !status.equals("running")) {
          return conversation;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("conversation " + conversationId + " was not answered in time");
  }

  /** Serialises a value as a JSON string literal, quotes included. */
  public String quote(String text) {
    return json.writeValueAsString(text);
  }

  private Reply send(HttpRequest.Builder request, Map<String, String> headers) {
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      String raw = response.body();
      JsonNode body = raw == null || raw.isBlank() ? json.nullNode() : json.readTree(raw);
      return new Reply(response.statusCode(), response.headers().map(), body, raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }
}
