package dev.grizz.engine.api;

import dev.grizz.engine.chat.ChatService;
import dev.grizz.engine.chat.PostedMessage;
import dev.grizz.engine.conversation.ConversationNotFoundException;
import dev.grizz.engine.event.EventCodec;
import dev.grizz.engine.event.EventData;
import dev.grizz.engine.event.EventId;
import dev.grizz.engine.event.Subscription;
import dev.grizz.engine.security.Accounts;
import dev.grizz.engine.security.AuthException;
import dev.grizz.engine.security.Caller;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.security.RateLimits;
import dev.grizz.engine.telemetry.TraceIds;
import dev.grizz.engine.telemetry.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /ws/chat/{conversationId}}: raw JSON frames. Each socket has one sender that pulls events
 * from its subscription and writes them; a slow reader only slows its own sender. Client frames:
 * {@code user_message}, {@code resume}, {@code cancel}, {@code ping}. A socket whose user is
 * suspended or erased meanwhile gets an error frame and is closed with 4000 + the HTTP status the
 * same refusal would have (4401, 4403): on its next frame, or sooner by {@link OpenStreams}.
 */
@Component
class ChatSocketHandler extends TextWebSocketHandler implements SubProtocolCapable {

  /** Browsers authenticate with the subprotocols {@code grizz.v1, bearer.<token>}. */
  static final String PROTOCOL = "grizz.v1";

  @Override
  public boolean supportsPartialMessages() {
    return true;
  }

  @Override
  public List<String> getSubProtocols() {
    return List.of(PROTOCOL);
  }

  static final int SEND_TIME_LIMIT_MS = 10_000;
  static final int SEND_BUFFER_LIMIT = 512 * 1024;
  static final CloseStatus RESUME = new CloseStatus(4000, "resume_required");
  private static final Logger log = LoggerFactory.getLogger(ChatSocketHandler.class);
  private static final AttributeKey<String> CONVERSATION_ID =
      AttributeKey.stringKey("grizz.conversation_id");

  private final ChatService chat;
  private final Accounts accounts;
  private final OpenStreams openStreams;
  private final RateLimits rateLimits;
  private final JsonMapper json;
  private final StreamSettings settings;
  private final Tracing tracing;
  private final dev.grizz.engine.agent.ToolTurns toolTurns;
  private final Map<String, Connection> connections =
      new java.util.concurrent.ConcurrentHashMap<>();

  ChatSocketHandler(
      ChatService chat,
      Accounts accounts,
      OpenStreams openStreams,
      RateLimits rateLimits,
      JsonMapper json,
      StreamSettings settings,
      io.micrometer.core.instrument.MeterRegistry meters,
      Tracing tracing,
      dev.grizz.engine.agent.ToolTurns toolTurns) {
    this.toolTurns = toolTurns;
    this.tracing = tracing;
    this.chat = chat;
    this.accounts = accounts;
    this.openStreams = openStreams;
    this.rateLimits = rateLimits;
    this.json = json;
    this.settings = settings;
    io.micrometer.core.instrument.Gauge.builder("grizz.websocket.sessions", connections, Map::size)
        .description("Open WebSocket connections on this pod")
        .register(meters);
  }

  /** One socket: its conversation, its decorated session and the subscription of the moment. */
  private final class Connection {
    final UUID conversationId;
    final WebSocketSession session;
    final Caller caller;
    final @Nullable String traceparent;
    @Nullable Subscription subscription;
    volatile Runnable untrack = () -> {};
    // A message that arrives in parts (larger than Tomcat's per-socket buffer); empty between.
    private @Nullable StringBuilder parts;

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
        closeQuietly(session, CloseStatus.TOO_BIG_TO_PROCESS);
        return null;
      }
      if (!message.isLast()) {
        parts = assembled;
        return null;
      }
      parts = null;
      return assembled.toString();
    }

    Connection(
        UUID conversationId,
        WebSocketSession session,
        Caller caller,
        @Nullable String traceparent) {
      this.traceparent = traceparent;
      this.conversationId = conversationId;
      this.session = session;
      this.caller = caller;
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
      Thread.ofVirtual().name("ws-send-" + session.getId()).start(() -> send(this, next));
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
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession raw) throws IOException {
    WebSocketSession session =
        new ConcurrentWebSocketSessionDecorator(
            raw,
            SEND_TIME_LIMIT_MS,
            SEND_BUFFER_LIMIT,
            ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
    UUID conversationId = conversationOf(raw.getUri());
    if (conversationId == null) {
      reject(session, "not_found", "No such conversation.");
      return;
    }
    // AuthFilter refused the handshake of anyone without credentials.
    Caller caller = (Caller) raw.getAttributes().get(CurrentUser.ATTRIBUTE);
    Connection connection =
        new Connection(
            conversationId, session, caller, raw.getHandshakeHeaders().getFirst("traceparent"));
    String cursor = queryParam(raw.getUri(), "last_event_id");
    try {
      connection.follow(cursor);
    } catch (ConversationNotFoundException e) {
      reject(session, "not_found", "No such conversation.");
      return;
    } catch (EventId.InvalidCursorException e) {
      reject(session, "invalid_cursor", e.getMessage());
      return;
    }
    connection.untrack = openStreams.add(caller.userId(), why -> ended(connection, why));
    connections.put(raw.getId(), connection);
  }

  private void send(Connection connection, Subscription subscription) {
    WebSocketSession session = connection.session;
    try {
      while (session.isOpen()) {
        List<Subscription.Frame> frames = subscription.next(settings.heartbeat());
        if (subscription.isClosed()) {
          if (connection.isCurrent(subscription)) {
            // Closed by the engine shutting down, not replaced by a resume.
            closeQuietly(session, CloseStatus.GOING_AWAY);
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
      closeQuietly(session, RESUME);
    } catch (RuntimeException e) {
      if (!subscription.isClosed() && session.isOpen()) {
        log.warn("event delivery to socket {} failed; the client resumes", session.getId(), e);
        closeQuietly(session, RESUME);
      }
      // Otherwise the socket closed or was resumed elsewhere while a read was in flight.
    } finally {
      subscription.close();
    }
  }

  @Override
  protected void handleTextMessage(WebSocketSession raw, TextMessage message) throws IOException {
    Connection connection = connections.get(raw.getId());
    if (connection == null) {
      return;
    }
    String payload = connection.assemble(message);
    if (payload == null) {
      return;
    }
    java.util.Optional<dev.grizz.engine.security.AuthException> refusal;
    try {
      refusal = accounts.refusal(connection.caller.userId());
    } catch (RuntimeException e) {
      // The revocation check reads the account: without PostgreSQL, the frame cannot be served.
      if (!DatabaseUnavailable.causedBy(e)) {
        throw e;
      }
      error(
          connection,
          DatabaseUnavailable.CODE,
          DatabaseUnavailable.MESSAGE,
          DatabaseUnavailable.details());
      return;
    }
    if (refusal.isPresent()) {
      revoked(connection, refusal.get());
      return;
    }
    JsonNode frame;
    try {
      frame = json.readTree(payload);
    } catch (RuntimeException e) {
      error(connection, "malformed_json", "A frame must be a JSON object with a type.");
      return;
    }
    String type = frame.path("type").asString("");
    if (type.equals("user_message") || type.equals("cancel")) {
      traced(connection, frame, type);
    } else {
      dispatch(connection, frame, type);
    }
  }

  /**
   * Handles a frame that starts or stops work under a server span, parented by the frame's own
   * {@code traceparent} field or else the handshake's header (browsers cannot set headers on a
   * WebSocket), so its job continues the client's trace and its error frames carry that trace id.
   */
  @SuppressWarnings("try") // the scope is used for its side effect: the current span
  private void traced(Connection connection, JsonNode frame, String type) throws IOException {
    JsonNode header = frame.path("traceparent");
    String traceparent = header.isString() ? header.asString() : null;
    if (traceparent == null) {
      traceparent = connection.traceparent;
    }
    Span span =
        tracing
            .tracer()
            .spanBuilder("WS " + type)
            .setSpanKind(SpanKind.SERVER)
            .setParent(Tracing.parent(traceparent))
            .setAttribute(CONVERSATION_ID, connection.conversationId.toString())
            .startSpan();
    try (Scope scope = Tracing.activate(span, Tracing.traceId(span, traceparent))) {
      dispatch(connection, frame, type);
    } finally {
      span.end();
    }
  }

  private void dispatch(Connection connection, JsonNode frame, String type) throws IOException {
    try {
      switch (type) {
        case "user_message" -> {
          rateLimits.message(connection.caller);
          PostedMessage posted =
              chat.post(
                  connection.caller.userId(),
                  connection.caller.apiKeyId(),
                  connection.conversationId,
                  frame.path("content").asString(""),
                  text(frame, "model"),
                  text(frame, "client_msg_id"));
          reply(
              connection,
              Map.of(
                  "type",
                  "message.accepted",
                  "data",
                  Map.of(
                      "client_msg_id", String.valueOf(text(frame, "client_msg_id")),
                      "user_message_id", posted.turn().userMessageId().toString(),
                      "step_id", posted.turn().stepId().toString())));
        }
        case "resume" -> connection.follow(text(frame, "last_event_id"));
        case "cancel" -> {
          String step = text(frame, "step_id");
          if (step == null) {
            error(connection, "invalid_request", "cancel needs a step_id.");
            return;
          }
          chat.cancel(connection.caller.userId(), connection.conversationId, UUID.fromString(step));
        }
        case "tool.decision" -> {
          String step = text(frame, "step_id");
          JsonNode approve = frame.path("approve");
          if (step == null || !approve.isBoolean()) {
            error(
                connection,
                "invalid_request",
                "tool.decision needs a step_id and approve (true or false).");
            return;
          }
          boolean approved =
              toolTurns.decide(
                  connection.caller.userId(),
                  connection.conversationId,
                  UUID.fromString(step),
                  approve.booleanValue());
          reply(
              connection,
              Map.of(
                  "type", "tool.decided", "data", Map.of("step_id", step, "approved", approved)));
        }
        case "ping" -> reply(connection, Map.of("type", "pong"));
        default -> error(connection, "unknown_frame", "Unknown frame type '" + type + "'.");
      }
    } catch (ConversationNotFoundException e) {
      error(connection, "not_found", "No such conversation or step.");
    } catch (RuntimeException e) {
      refused(connection, e);
    }
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    Connection connection = connections.remove(session.getId());
    if (connection != null) {
      connection.untrack.run();
      connection.stop();
    }
  }

  /**
   * Ends a socket whose user may no longer act (suspended or erased since the handshake), or, when
   * this pod drains, with 1012 (service restart): the client reconnects, through the load balancer
   * to another pod, from its last event.
   */
  private void ended(Connection connection, OpenStreams.Ending why) {
    switch (why) {
      case OpenStreams.Revoked revoked -> revoked(connection, revoked.why());
      case OpenStreams.Draining draining ->
          closeQuietly(connection.session, CloseStatus.SERVICE_RESTARTED);
    }
  }

  private void revoked(Connection connection, AuthException why) {
    try {
      connection.session.sendMessage(new TextMessage(openStreams.errorFrame(why)));
    } catch (IOException | RuntimeException e) {
      // Already closing; the close below tells the client as much as it can hear.
    }
    closeQuietly(connection.session, new CloseStatus(4000 + why.status(), why.code()));
  }

  /**
   * A frame refused as the catalog says ({@link ErrorCatalog}), with its details; the socket stays
   * (the client retries the frame) unless it is the engine's own fault, which closes it with 1011.
   */
  private void refused(Connection connection, RuntimeException e) throws IOException {
    if (e instanceof IllegalArgumentException
        && !(e instanceof EventId.InvalidCursorException)
        && !(e instanceof dev.grizz.engine.config.SettingException)) {
      String why = String.valueOf(e.getMessage());
      error(
          connection,
          "invalid_request",
          "A field of the frame is malformed: "
              + (why.length() > 200 ? why.substring(0, 200) + "…" : why)
              + ".");
      return;
    }
    Problem problem = ErrorCatalog.of(e);
    if (problem.status().is5xxServerError() && !problem.code().equals(DatabaseUnavailable.CODE)) {
      throw e;
    }
    if (problem.code().equals(DatabaseUnavailable.CODE)) {
      log.warn("database unavailable on socket {}: {}", connection.session.getId(), e.getMessage());
      error(connection, problem.code(), problem.message(), DatabaseUnavailable.details());
      return;
    }
    error(connection, problem.code(), problem.message(), problem.details());
  }

  private void error(Connection connection, String code, String message) throws IOException {
    error(connection, code, message, null);
  }

  /** An error frame; {@code details} carries data the client can act on (a retry time). */
  private void error(
      Connection connection, String code, String message, @Nullable Map<String, Object> details)
      throws IOException {
    reply(
        connection,
        new EventCodec.ErrorFrame(new EventData.Error(code, message, TraceIds.current(), details)));
  }

  private void reply(Connection connection, Object frame) throws IOException {
    connection.session.sendMessage(new TextMessage(ascii(frame)));
  }

  /**
   * A reply in ASCII JSON: an error frame may quote the client's text, and a lone surrogate in it
   * cannot be sent as UTF-8 (the send failed and closed the socket with 1011).
   */
  private String ascii(Object frame) {
    return json.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(frame);
  }

  private void reject(WebSocketSession session, String code, String message) throws IOException {
    session.sendMessage(
        new TextMessage(
            ascii(
                new EventCodec.ErrorFrame(
                    new EventData.Error(code, message, TraceIds.current())))));
    closeQuietly(session, CloseStatus.POLICY_VIOLATION);
  }

  private static void closeQuietly(WebSocketSession session, CloseStatus status) {
    try {
      session.close(status);
    } catch (IOException | RuntimeException e) {
      log.debug("closing socket {} failed: {}", session.getId(), e.getMessage());
    }
  }

  /**
   * An optional string field; any other type is malformed (an error frame, where reading it as a
   * string threw past the frame's handling and closed the socket with 1011).
   */
  private static @Nullable String text(JsonNode frame, String field) {
    JsonNode value = frame.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return value.asString();
  }

  private static @Nullable UUID conversationOf(@Nullable URI uri) {
    if (uri == null) {
      return null;
    }
    String path = uri.getPath();
    try {
      return UUID.fromString(path.substring(path.lastIndexOf('/') + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static @Nullable String queryParam(@Nullable URI uri, String name) {
    return uri == null
        ? null
        : UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst(name);
  }
}
