package dev.grizz.engine.llm;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.internal.sse.ServerSentEventReader;
import tools.jackson.core.JacksonException;

/**
 * A vendor's streaming POST on the shared HTTP client (its pool, dispatcher and no-delay sockets)
 * with the provider's own read timeout, and what every vendor's answer to it has in common: the
 * endpoint under a configured base URL, a pooled connection the server had closed, an error
 * response, a broken stream and a cancel. What the events mean is the vendor's {@link
 * StreamedAnswer}.
 */
public final class StreamingPost {

  /** Any vendor's error JSON fits; a proxy's page beyond it is not worth reading. */
  private static final long ERROR_BODY_LIMIT = 64 * 1024;

  private final OkHttpClient http;
  private final OkHttpClient freshConnection;

  /**
   * @param readTimeout the longest silence on the connection
   */
  public StreamingPost(Duration readTimeout) {
    this.http = UpstreamHttp.client().newBuilder().readTimeout(readTimeout).build();
    this.freshConnection =
        http.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
  }

  /**
   * Sends the request and reads the answer's events on the calling thread until it has ended, the
   * body ends or a cancel closes the connection.
   *
   * @param request with a body that can be sent twice (as bytes are)
   * @param errorCodeField the field of an error response's error object that holds the vendor's
   *     code
   */
  public LlmOutcome stream(
      Request request, String errorCodeField, StreamedAnswer answer, CancelSignal cancel) {
    try (Response response = send(request, cancel)) {
      if (!response.isSuccessful()) {
        return cancel.isCancelled()
            ? new LlmOutcome.Cancelled(Usage.UNKNOWN)
            : failure(response, errorCodeField);
      }
      ServerSentEventReader events = new ServerSentEventReader(response.body().source(), answer);
      while (!answer.ended() && !cancel.isCancelled() && events.processNextEvent()) {
        // the answer has taken the event
      }
      return cancel.isCancelled() ? new LlmOutcome.Cancelled(answer.usage()) : answer.outcome();
    } catch (IOException | JacksonException e) {
      return cancel.isCancelled()
          ? new LlmOutcome.Cancelled(answer.usage())
          : UpstreamErrors.unreachable(e, answer.usage());
    }
  }

  /**
   * Sends the request, and once more on a new connection when the pooled one it took had been
   * closed by the server before any answer: servers drop idle keep-alive connections (uvicorn after
   * 5 s, the JDK's server beyond 200 idle ones) and OkHttp only probes a connection idle for 10 s,
   * so without this every such close fails a user's message. The new connection comes from a pool
   * that keeps none, since the shared pool may hold more closed ones.
   */
  private Response send(Request request, CancelSignal cancel) throws IOException {
    Call call = http.newCall(request);
    cancel.onCancel(call::cancel);
    try {
      return call.execute();
    } catch (IOException e) {
      if (cancel.isCancelled() || !closedByServer(e)) {
        throw e;
      }
      Call again = freshConnection.newCall(request);
      cancel.onCancel(again::cancel);
      return again.execute();
    }
  }

  /** What OkHttp reports when a connection it reused turns out closed at the other end. */
  private static boolean closedByServer(IOException e) {
    return (e instanceof SocketException && !(e instanceof ConnectException))
        || String.valueOf(e.getMessage()).startsWith("unexpected end of stream");
  }

  /** A non-2xx answer as a failure, with the vendor's error code and message from its body. */
  private static LlmOutcome.Failed failure(Response response, String codeField) throws IOException {
    int status = response.code();
    VendorError error =
        VendorError.fromBody(response.peekBody(ERROR_BODY_LIMIT).string(), codeField);
    return UpstreamErrors.fromStatus(
        status,
        response.header("Retry-After"),
        error.code(),
        error.message().isEmpty() ? "HTTP " + status : status + ": " + error.message());
  }

  /** {@code path} under the base URL, with or without a slash at the end of the base. */
  public static HttpUrl endpoint(String provider, String baseUrl, String path) {
    HttpUrl base = HttpUrl.parse(baseUrl);
    if (base == null) {
      throw new IllegalArgumentException(
          provider + ": the base URL " + baseUrl + " is not an http or https URL");
    }
    // A trailing slash leaves an empty last segment, which addPathSegments replaces.
    return base.newBuilder().addPathSegments(path).build();
  }
}
