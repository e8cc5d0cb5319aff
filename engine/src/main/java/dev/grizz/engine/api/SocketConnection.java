package dev.grizz.engine.api;

import dev.grizz.engine.chat.ChatService;
import dev.grizz.engine.event.Subscription;
import dev.grizz.engine.security.Caller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One socket of {@link ChatSocketHandler}: its conversation, its decorated session, the message
 * being assembled from parts and the subscription of the moment, with the one sender that replays
 * the subscription's events onto the socket (a slow reader only slows its own sender).
 */
final class SocketConnection {

  static final CloseStatus RESUME = new CloseStatus(4000, "resume_required");

  // The handler's category: operators filter the socket's log lines by it.
  private static final Logger log = LoggerFactory.getLogger(ChatSocketHandler.class);

  final UUID conversationId;
  final WebSocketSession session;
  final Caller caller;
  final @Nullable String traceparent;
  private final ChatService chat;
  private final StreamSettings settings;
  private @Nullable Subscription subscription;
  volatile Runnable untrack = () -> {};
  // A message that arrives in parts (larger than Tomcat's per-socket buffer); empty between.
  private @Nullable StringBuilder parts;

  SocketConnection(
      UUID conversationId,
      WebSocketSession session,
      Caller caller,
      @Nullable String traceparent,
      ChatService chat,
      StreamSettings settings) {
    this.traceparent = traceparent;
    this.conversationId = conversationId;
    this.session = session;
    this.caller = caller;
    this.chat = chat;
    this.settings = settings;
  }

  /**
   * The whole message once its last part is in; null while parts are still coming or when the
   * message grew past {@link WebSocketConfig#MAX_FRAME} (the socket is then closed).
   */
  synchronized @Nullable String assemble(TextMessage message) throws IOException {
    if (message.isLast() && parts == null) {
      return message.getPayload();
    }
    StringBuilder assembled = parts != null ? parts : new StringBuilder();
    assembled.append(message.getPayload());
    if (assembled.length() > WebSocketConfig.MAX_FRAME) {
      parts = null;
      SocketFrames.closeQuietly(session, CloseStatus.TOO_BIG_TO_PROCESS);
      return null;
    }
    if (!message.isLast()) {
      parts = assembled;
      return null;
    }
    parts = null;
    return assembled.toString();
  }

  /**
   * Replaces the subscription with one after {@code cursor}. The new one is opened before the old
   * one stops: a resume that fails (a bad cursor) leaves the socket streaming as before, where
   * stopping first made the old sender read its end as a shutdown and close the socket (1001).
   */
  synchronized void follow(@Nullable String cursor) {
    Subscription next = chat.subscribe(caller.userId(), conversationId, cursor);
    stop();
    subscription = next;
    Thread.ofVirtual().name("ws-send-" + session.getId()).start(() -> send(next));
  }

  synchronized boolean isCurrent(Subscription candidate) {
    return subscription == candidate;
  }

  /**
   * Ends the current subscription; its sender sees it closed and returns. No interrupt: one that
   * lands during a PostgreSQL read closes the pooled connection's socket under other users.
   */
  synchronized void stop() {
    if (subscription != null) {
      subscription.close();
    }
  }

  private void send(Subscription subscription) {
    try {
      while (session.isOpen()) {
        List<Subscription.Frame> frames = subscription.next(settings.heartbeat());
        if (subscription.isClosed()) {
          if (isCurrent(subscription)) {
            // Closed by the engine shutting down, not replaced by a resume.
            SocketFrames.closeQuietly(session, CloseStatus.GOING_AWAY);
          }
          return;
        }
        if (frames.isEmpty()) {
          session.sendMessage(new PingMessage(ByteBuffer.allocate(0)));
          continue;
        }
        for (Subscription.Frame frame : frames) {
          session.sendMessage(new TextMessage(frame.json()));
        }
      }
    } catch (IOException | IllegalStateException e) {
      // Closed, or too far behind for its buffer: the client resumes from its last id.
      SocketFrames.closeQuietly(session, RESUME);
    } catch (RuntimeException e) {
      if (!subscription.isClosed() && session.isOpen()) {
        log.warn("event delivery to socket {} failed; the client resumes", session.getId(), e);
        SocketFrames.closeQuietly(session, RESUME);
      }
      // Otherwise the socket closed or was resumed elsewhere while a read was in flight.
    } finally {
      subscription.close();
    }
  }
}
