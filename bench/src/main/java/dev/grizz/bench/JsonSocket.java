package dev.grizz.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A client of the engine's {@code /ws/chat/{conversation}}: the JDK's asynchronous WebSocket, which
 * hands every whole text frame to {@code onFrame} (on the client's executor) and tells {@code
 * onClosed} once when the socket ends, by a close frame or an error.
 */
final class JsonSocket implements WebSocket.Listener {

  private final Consumer<String> onFrame;
  private final Runnable onClosed;
  private final StringBuilder partial = new StringBuilder();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private volatile WebSocket socket;

  private JsonSocket(Consumer<String> onFrame, Runnable onClosed) {
    this.onFrame = onFrame;
    this.onClosed = onClosed;
  }

  /** Opens a socket on a conversation, authenticated with the bearer header. */
  static CompletableFuture<JsonSocket> open(
      HttpClient http,
      String base,
      String conversation,
      String bearer,
      Consumer<String> onFrame,
      Runnable onClosed) {
    JsonSocket listener = new JsonSocket(onFrame, onClosed);
    URI uri = URI.create(base.replaceFirst("^http", "ws") + "/ws/chat/" + conversation);
    return http.newWebSocketBuilder()
        .header("Authorization", bearer)
        .connectTimeout(Duration.ofSeconds(30))
        .buildAsync(uri, listener)
        .thenApply(
            ws -> {
              listener.socket = ws;
              return listener;
            });
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  boolean isOpen() {
    return !ended.isDone();
  }

  /** Closes politely; a socket that does not answer within a second is aborted. */
  void close() {
    WebSocket ws = socket;
    if (ws == null || ended.isDone()) {
      return;
    }
    try {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(1, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      ws.abort();
    }
    ws.abort();
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String frame = partial.toString();
      partial.setLength(0);
      onFrame.accept(frame);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    end();
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    end();
  }

  private void end() {
    if (ended.complete(null)) {
      onClosed.run();
    }
  }
}
