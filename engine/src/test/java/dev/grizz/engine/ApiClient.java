package dev.grizz.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for tests: real requests to an engine on a port, JSON bodies. */
public final class ApiClient {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final JsonMapper json = JsonMapper.builder().build();
  private final String base;
  private final int port;
  private final boolean authenticates;
  private volatile @Nullable String token;

  /** A client that acts as a new anonymous user (its session is made on first use). */
  public ApiClient(int port) {
    this(port, true, null);
  }

  private ApiClient(int port, boolean authenticates, @Nullable String token) {
    this.port = port;
    this.base = "http://localhost:" + port;
    this.authenticates = authenticates;
    this.token = token;
  }

  /** A client that sends no credentials at all. */
  public static ApiClient unauthenticated(int port) {
    return new ApiClient(port, false, null);
  }

  /** A client with this bearer token. */
  public static ApiClient withToken(int port, String token) {
    return new ApiClient(port, true, token);
  }

  /** A client signed in with this email and password. */
  public static ApiClient login(int port, String email, String password) {
    Reply session =
        unauthenticated(port)
            .post(
                "/api/v1/sessions",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
    if (session.status() != 201) {
      throw new AssertionError("cannot log in: " + session.raw());
    }
    return withToken(port, session.body().get("access_token").asString());
  }

  /** A new admin account (made through the engine's own service), signed in. */
  public static ApiClient admin(int port, dev.grizz.engine.security.Accounts accounts) {
    String email = "admin-" + java.util.UUID.randomUUID() + "@example.com";
    accounts.ensureAdmin(email, "admin password for tests");
    return login(port, email, "admin password for tests");
  }

  /** The same user, talking to another engine (pod). */
  public ApiClient onPort(int otherPort) {
    return new ApiClient(otherPort, authenticates, authenticates ? token() : null);
  }

  public int port() {
    return port;
  }

  /** This client's access token, making an anonymous session first if it has none. */
  public synchronized String token() {
    if (token == null) {
      Reply session = unauthenticated(port).post("/api/v1/sessions", "");
      if (session.status() != 201) {
        throw new AssertionError("no session: " + session.raw());
      }
      token = session.body().get("access_token").asString();
    }
    return token;
  }

  /** The id of the user this client acts as. */
  public java.util.UUID userId() {
    return java.util.UUID.fromString(get("/api/v1/me").body().get("id").asString());
  }

  /** Request headers that authenticate as this client (empty for an unauthenticated one). */
  public Map<String, String> authHeaders() {
    return authenticates ? Map.of("Authorization", "Bearer " + token()) : Map.of();
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
    return send(path, method, body, contentType, Map.of());
  }

  public Reply send(
      String path, String method, String body, String contentType, Map<String, String> headers) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", contentType),
        headers);
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
    if (authenticates
        && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Authorization"))) {
      request.header("Authorization", "Bearer " + token());
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      String raw = response.body();
      JsonNode body = raw == null || raw.isBlank() ? json.nullNode() : parsed(raw, response);
      return new Reply(response.statusCode(), response.headers().map(), body, raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The body as JSON; a body of another type (a Markdown download) is read as null. */
  private JsonNode parsed(String raw, HttpResponse<String> response) {
    String type = response.headers().firstValue("Content-Type").orElse("");
    return type.startsWith("text/markdown") ? json.nullNode() : json.readTree(raw);
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }
}
