package dev.grizz.engine.llm;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.internal.sse.ServerSentEventReader;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
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

  private static final ByteString LF_LF = ByteString.encodeUtf8("\n\n");
  private static final ByteString CRLF_CRLF = ByteString.encodeUtf8("\r\n\r\n");
  private static final ByteString CR_CR = ByteString.encodeUtf8("\r\r");

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
   * <p>Text from events that arrived together reaches {@code sink} as one piece: it is passed on
   * once no further whole event is already buffered, so a reader that falls behind (a busy machine)
   * catches up with one event appended and sent where it would have had one per token, and a reader
   * that keeps up passes every piece on as soon as it is read, as before.
   *
   * @param request with a body that can be sent twice (as bytes are)
   * @param errorCodeField the field of an error response's error object that holds the vendor's
   *     code
   * @param answerFor the vendor's reading of the events, given the sink it passes text to
   */
  public LlmOutcome stream(
      Request request,
      String errorCodeField,
      DeltaSink sink,
      Function<DeltaSink, StreamedAnswer> answerFor,
      CancelSignal cancel) {
    PendingText pending = new PendingText(sink);
    StreamedAnswer answer = answerFor.apply(pending);
    try (Response response = send(request, cancel)) {
      if (!response.isSuccessful()) {
        return cancel.isCancelled()
            ? new LlmOutcome.Cancelled(Usage.UNKNOWN)
            : failure(response, errorCodeField);
      }
      BufferedSource body = response.body().source();
      ServerSentEventReader events = new ServerSentEventReader(body, answer);
      while (!answer.ended() && !cancel.isCancelled() && events.processNextEvent()) {
        if (!holdsWholeEvent(body.getBuffer())) {
          pending.flush();
        }
      }
      pending.flush();
      return cancel.isCancelled() ? new LlmOutcome.Cancelled(answer.usage()) : answer.outcome();
    } catch (IOException | JacksonException e) {
      // What was read before the break is part of the answer, as it would have been unbuffered.
      pending.flush();
      return cancel.isCancelled()
          ? new LlmOutcome.Cancelled(answer.usage())
          : UpstreamErrors.unreachable(e, answer.usage());
    }
  }

  /**
   * An event ends at a blank line, whichever line ending the server uses. (A {@link Buffer} is a
   * source of its own bytes only: searching it never reads the socket, whatever it declares.)
   */
  private static boolean holdsWholeEvent(Buffer buffer) throws IOException {
    return buffer.size() > 1
        && (buffer.indexOf(LF_LF) >= 0
            || buffer.indexOf(CRLF_CRLF) >= 0
            || buffer.indexOf(CR_CR) >= 0);
  }

  /**
   * Text or reasoning taken from events and not yet passed on. At most one of the two is held: a
   * piece of the other kind, or a tool call, first passes on what is held, so order is kept.
   */
  private static final class PendingText implements DeltaSink {
    private final DeltaSink sink;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();

    PendingText(DeltaSink sink) {
      this.sink = sink;
    }

    @Override
    public void accept(String piece) {
      if (!reasoning.isEmpty()) {
        flush();
      }
      text.append(piece);
    }

    @Override
    public void reasoning(String piece) {
      if (!text.isEmpty()) {
        flush();
      }
      reasoning.append(piece);
    }

    @Override
    public void toolCall(ToolCallDelta delta) {
      flush();
      sink.toolCall(delta);
    }

    @Override
    public void thinkingSignature(String signature) {
      flush();
      sink.thinkingSignature(signature);
    }

    @Override
    public void redactedThinking(String data) {
      flush();
      sink.redactedThinking(data);
    }

    void flush() {
      if (!reasoning.isEmpty()) {
        String piece = reasoning.toString();
        reasoning.setLength(0);
        sink.reasoning(piece);
      }
      if (!text.isEmpty()) {
        String piece = text.toString();
        text.setLength(0);
        sink.accept(piece);
      }
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
