package dev.grizz.engine.api;

import dev.grizz.engine.chat.ChatService;
import dev.grizz.engine.chat.PostedMessage;
import dev.grizz.engine.conversation.ConversationNotFoundException;
import dev.grizz.engine.conversation.TurnParent;
import dev.grizz.engine.event.EventId;
import dev.grizz.engine.security.Accounts;
import dev.grizz.engine.security.AuthException;
import dev.grizz.engine.security.Caller;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.security.RateLimits;
import dev.grizz.engine.telemetry.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /ws/chat/{conversationId}}: raw JSON frames. Each socket ({@link SocketConnection}) has
 * one sender that pulls events from its subscription and writes them; a slow reader only slows its
 * own sender. {@link SocketFrames} reads and writes the frames. Client frames: {@code
 * user_message}, {@code resume}, {@code cancel}, {@code ping}. A socket whose user is suspended or
 * erased meanwhile gets an error frame and is closed with 4000 + the HTTP status the same refusal
 * would have (4401, 4403): on its next frame, or sooner by {@link OpenStreams}.
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
  private static final AttributeKey<String> CONVERSATION_ID =
      AttributeKey.stringKey("grizz.conversation_id");

  private final ChatService chat;
  private final Accounts accounts;
  private final OpenStreams openStreams;
  private final RateLimits rateLimits;
  private final SocketFrames frames;
  private final StreamSettings settings;
  private final Tracing tracing;
  private final dev.grizz.engine.agent.ToolTurns toolTurns;
  private final Map<String, SocketConnection> connections =
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
    this.frames = new SocketFrames(json);
    this.settings = settings;
    io.micrometer.core.instrument.Gauge.builder("grizz.websocket.sessions", connections, Map::size)
        .description("Open WebSocket connections on this pod")
        .register(meters);
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession raw) throws IOException {
    WebSocketSession session =
        new ConcurrentWebSocketSessionDecorator(
            raw,
            SEND_TIME_LIMIT_MS,
            SEND_BUFFER_LIMIT,
            ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
    UUID conversationId = SocketFrames.conversationOf(raw.getUri());
    if (conversationId == null) {
      frames.reject(session, "not_found", "No such conversation.");
      return;
    }
    // AuthFilter refused the handshake of anyone without credentials.
    Caller caller = (Caller) raw.getAttributes().get(CurrentUser.ATTRIBUTE);
    SocketConnection connection =
        new SocketConnection(
            conversationId,
            session,
            caller,
            raw.getHandshakeHeaders().getFirst("traceparent"),
            chat,
            settings);
    String cursor = SocketFrames.queryParam(raw.getUri(), "last_event_id");
    try {
      connection.follow(cursor);
    } catch (ConversationNotFoundException e) {
      frames.reject(session, "not_found", "No such conversation.");
      return;
    } catch (EventId.InvalidCursorException e) {
      frames.reject(session, "invalid_cursor", e.getMessage());
      return;
    }
    connection.untrack = openStreams.add(caller.userId(), why -> ended(connection, why));
    connections.put(raw.getId(), connection);
  }

  @Override
  protected void handleTextMessage(WebSocketSession raw, TextMessage message) throws IOException {
    SocketConnection connection = connections.get(raw.getId());
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
      frames.error(
          connection.session,
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
      frame = frames.read(payload);
    } catch (RuntimeException e) {
      frames.error(
          connection.session, "malformed_json", "A frame must be a JSON object with a type.");
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
  private void traced(SocketConnection connection, JsonNode frame, String type) throws IOException {
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

  private void dispatch(SocketConnection connection, JsonNode frame, String type)
      throws IOException {
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
                  SocketFrames.texts(frame, "images"),
                  SocketFrames.text(frame, "model"),
                  SocketFrames.text(frame, "client_msg_id"),
                  TurnParent.parse(SocketFrames.text(frame, "parent_step_id")));
          frames.reply(
              connection.session,
              Map.of(
                  "type",
                  "message.accepted",
                  "data",
                  Map.of(
                      "client_msg_id", String.valueOf(SocketFrames.text(frame, "client_msg_id")),
                      "user_message_id", posted.turn().userMessageId().toString(),
                      "step_id", posted.turn().stepId().toString())));
        }
        case "resume" -> connection.follow(SocketFrames.text(frame, "last_event_id"));
        case "cancel" -> {
          String step = SocketFrames.text(frame, "step_id");
          if (step == null) {
            frames.error(connection.session, "invalid_request", "cancel needs a step_id.");
            return;
          }
          chat.cancel(connection.caller.userId(), connection.conversationId, UUID.fromString(step));
        }
        case "tool.decision" -> {
          String step = SocketFrames.text(frame, "step_id");
          JsonNode approve = frame.path("approve");
          if (step == null || !approve.isBoolean()) {
            frames.error(
                connection.session,
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
          frames.reply(
              connection.session,
              Map.of(
                  "type", "tool.decided", "data", Map.of("step_id", step, "approved", approved)));
        }
        case "ping" -> frames.reply(connection.session, Map.of("type", "pong"));
        default ->
            frames.error(connection.session, "unknown_frame", "Unknown frame type '" + type + "'.");
      }
    } catch (ConversationNotFoundException e) {
      frames.error(connection.session, "not_found", "No such conversation or step.");
    } catch (RuntimeException e) {
      frames.refused(connection.session, e);
    }
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    SocketConnection connection = connections.remove(session.getId());
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
  private void ended(SocketConnection connection, OpenStreams.Ending why) {
    switch (why) {
      case OpenStreams.Revoked revoked -> revoked(connection, revoked.why());
      case OpenStreams.Draining draining ->
          SocketFrames.closeQuietly(connection.session, CloseStatus.SERVICE_RESTARTED);
    }
  }

  private void revoked(SocketConnection connection, AuthException why) {
    try {
      connection.session.sendMessage(new TextMessage(openStreams.errorFrame(why)));
    } catch (IOException | RuntimeException e) {
      // Already closing; the close below tells the client as much as it can hear.
    }
    SocketFrames.closeQuietly(connection.session, new CloseStatus(4000 + why.status(), why.code()));
  }
}
