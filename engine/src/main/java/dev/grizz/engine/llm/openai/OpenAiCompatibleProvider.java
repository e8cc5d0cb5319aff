package dev.grizz.engine.llm.openai;

import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmProvider;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.UpstreamErrors;
import dev.grizz.engine.llm.UpstreamHttp;
import dev.grizz.engine.llm.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams Chat Completions from OpenAI or any server that speaks the API: one POST on the shared
 * HTTP client, and from each streamed chunk only the text, finish reason and usage (see {@link
 * CompletionChunks}). Not through the OpenAI SDK: binding every chunk to its model objects was
 * about 30% of the engine's CPU under load. Fallback is the router's job; the only retry here is
 * for a pooled connection the server had closed (see {@link #send}).
 */
public final class OpenAiCompatibleProvider implements LlmProvider {

  private static final MediaType JSON = MediaType.get("application/json");

  /** Any vendor's error JSON fits; a proxy's page beyond it is not worth reading. */
  private static final long ERROR_BODY_LIMIT = 64 * 1024;

  private final String name;
  private final List<String> models;
  private final HttpUrl completions;
  private final Supplier<@Nullable String> apiKey;
  private final OkHttpClient http;
  private final OkHttpClient freshConnection;
  private final boolean askForUsage;
  private final boolean anyModel;

  /**
   * @param askForUsage send {@code stream_options.include_usage}; some compatible servers reject it
   *     and report usage anyway
   * @param readTimeout the longest silence on the connection
   * @param anyModel a self-hosted server: serves whatever model it is asked for
   */
  public OpenAiCompatibleProvider(
      String name,
      String baseUrl,
      @Nullable String apiKey,
      List<String> models,
      boolean askForUsage,
      Duration readTimeout,
      boolean anyModel) {
    this(name, baseUrl, () -> apiKey, models, askForUsage, readTimeout, anyModel);
  }

  /**
   * As above, with a key that may change while the engine runs (a rotated key file): each request
   * sends the key as it is then.
   */
  public OpenAiCompatibleProvider(
      String name,
      String baseUrl,
      Supplier<@Nullable String> apiKey,
      List<String> models,
      boolean askForUsage,
      Duration readTimeout,
      boolean anyModel) {
    this.name = name;
    this.models = List.copyOf(models);
    this.completions = completionsUrl(name, baseUrl);
    this.apiKey = apiKey;
    this.askForUsage = askForUsage;
    this.anyModel = anyModel;
    // The shared pool, dispatcher and no-delay sockets; only the read timeout is this provider's.
    this.http = UpstreamHttp.client().newBuilder().readTimeout(readTimeout).build();
    this.freshConnection =
        http.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> models() {
    return models;
  }

  @Override
  public boolean servesAnyModel() {
    return anyModel;
  }

  @Override
  public LlmOutcome stream(LlmRequest request, DeltaSink sink, CancelSignal cancel) {
    CompletionChunks chunks = new CompletionChunks(sink, cancel);
    try (Response response = send(request, cancel)) {
      if (!response.isSuccessful()) {
        return cancel.isCancelled() ? new LlmOutcome.Cancelled(Usage.UNKNOWN) : failure(response);
      }
      chunks.read(response.body().source());
      return chunks.outcome();
    } catch (IOException | JacksonException e) {
      return cancel.isCancelled()
          ? new LlmOutcome.Cancelled(chunks.usage())
          : UpstreamErrors.unreachable(e, chunks.usage());
    }
  }

  /**
   * Sends the request, and once more on a new connection when the pooled one it took had been
   * closed by the server before any answer: servers drop idle keep-alive connections (uvicorn after
   * 5 s, the JDK's server beyond 200 idle ones) and OkHttp only probes a connection idle for 10 s,
   * so without this every such close fails a user's message. The new connection comes from a pool
   * that keeps none, since the shared pool may hold more closed ones.
   */
  private Response send(LlmRequest request, CancelSignal cancel) throws IOException {
    Call call = http.newCall(post(request));
    cancel.onCancel(call::cancel);
    try {
      return call.execute();
    } catch (IOException e) {
      if (cancel.isCancelled() || !closedByServer(e)) {
        throw e;
      }
      Call again = freshConnection.newCall(post(request));
      cancel.onCancel(again::cancel);
      return again.execute();
    }
  }

  /** What OkHttp reports when a connection it reused turns out closed at the other end. */
  private static boolean closedByServer(IOException e) {
    return (e instanceof SocketException && !(e instanceof ConnectException))
        || String.valueOf(e.getMessage()).startsWith("unexpected end of stream");
  }

  private Request post(LlmRequest request) {
    String key = apiKey.get();
    return new Request.Builder()
        .url(completions)
        // A keyless local server still gets a well-formed header, as the SDK sent.
        .header("Authorization", "Bearer " + (key == null || key.isBlank() ? "none" : key))
        .header("Accept", "text/event-stream")
        .post(RequestBody.create(body(request), JSON))
        .build();
  }

  private byte[] body(LlmRequest request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JsonMapper.shared().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringProperty("model", request.model());
      json.writeArrayPropertyStart("messages");
      for (LlmRequest.ChatMessage message : request.messages()) {
        json.writeStartObject();
        json.writeStringProperty("role", role(message.role()));
        json.writeStringProperty("content", message.content());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeBooleanProperty("stream", true);
      if (askForUsage) {
        json.writeObjectPropertyStart("stream_options");
        json.writeBooleanProperty("include_usage", true);
        json.writeEndObject();
      }
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  private static String role(LlmRequest.Role role) {
    return switch (role) {
      case SYSTEM -> "system";
      case USER -> "user";
      case ASSISTANT -> "assistant";
    };
  }

  private static LlmOutcome.Failed failure(Response response) throws IOException {
    int status = response.code();
    VendorError error = VendorError.fromBody(response.peekBody(ERROR_BODY_LIMIT).string());
    return UpstreamErrors.fromStatus(
        status,
        response.header("Retry-After"),
        error.code(),
        error.message().isEmpty() ? "HTTP " + status : status + ": " + error.message());
  }

  /** {@code {baseUrl}/chat/completions}, with or without a slash at the end of the base. */
  private static HttpUrl completionsUrl(String provider, String baseUrl) {
    HttpUrl base = HttpUrl.parse(baseUrl);
    if (base == null) {
      throw new IllegalArgumentException(
          provider + ": the base URL " + baseUrl + " is not an http or https URL");
    }
    // A trailing slash leaves an empty last segment, which addPathSegments replaces.
    return base.newBuilder().addPathSegments("chat/completions").build();
  }
}
