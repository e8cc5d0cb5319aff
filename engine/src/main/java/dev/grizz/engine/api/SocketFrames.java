package dev.grizz.engine.api;

import dev.grizz.engine.event.EventCodec;
import dev.grizz.engine.event.EventData;
import dev.grizz.engine.event.EventId;
import dev.grizz.engine.telemetry.TraceIds;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wire side of {@link ChatSocketHandler}: reading a client frame's fields and the socket's
 * address, and writing replies and error frames (in ASCII JSON) and closes.
 */
final class SocketFrames {

  // The handler's category: operators filter the socket's log lines by it.
  private static final Logger log = LoggerFactory.getLogger(ChatSocketHandler.class);

  private final JsonMapper json;

  SocketFrames(JsonMapper json) {
    this.json = json;
  }

  /** Parses a client frame; throws a {@link RuntimeException} when it is not JSON. */
  JsonNode read(String payload) {
    return json.readTree(payload);
  }

  /**
   * A frame refused as the catalog says ({@link ErrorCatalog}), with its details; the socket stays
   * (the client retries the frame) unless it is the engine's own fault, which closes it with 1011.
   */
  void refused(WebSocketSession session, RuntimeException e) throws IOException {
    if (e instanceof IllegalArgumentException
        && !(e instanceof EventId.InvalidCursorException)
        && !(e instanceof dev.grizz.engine.config.SettingException)) {
      String why = String.valueOf(e.getMessage());
      error(
          session,
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
      log.warn("database unavailable on socket {}: {}", session.getId(), e.getMessage());
      error(session, problem.code(), problem.message(), DatabaseUnavailable.details());
      return;
    }
    error(session, problem.code(), problem.message(), problem.details());
  }

  void error(WebSocketSession session, String code, String message) throws IOException {
    error(session, code, message, null);
  }

  /** An error frame; {@code details} carries data the client can act on (a retry time). */
  void error(
      WebSocketSession session, String code, String message, @Nullable Map<String, Object> details)
      throws IOException {
    reply(
        session,
        new EventCodec.ErrorFrame(new EventData.Error(code, message, TraceIds.current(), details)));
  }

  void reply(WebSocketSession session, Object frame) throws IOException {
    session.sendMessage(new TextMessage(ascii(frame)));
  }

  /**
   * A reply in ASCII JSON: an error frame may quote the client's text, and a lone surrogate in it
   * cannot be sent as UTF-8 (the send failed and closed the socket with 1011).
   */
  private String ascii(Object frame) {
    return json.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(frame);
  }

  /** Refuses a socket at its start: an error frame, then a close with 1008. */
  void reject(WebSocketSession session, String code, String message) throws IOException {
    session.sendMessage(
        new TextMessage(
            ascii(
                new EventCodec.ErrorFrame(
                    new EventData.Error(code, message, TraceIds.current())))));
    closeQuietly(session, CloseStatus.POLICY_VIOLATION);
  }

  static void closeQuietly(WebSocketSession session, CloseStatus status) {
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
  static @Nullable String text(JsonNode frame, String field) {
    JsonNode value = frame.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return value.asString();
  }

  /** An optional list of strings (absent: empty); anything else is malformed. */
  static List<String> texts(JsonNode frame, String field) {
    JsonNode value = frame.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException(field + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isString()) {
        throw new IllegalArgumentException(field + " must be a list of strings");
      }
      out.add(item.asString());
    }
    return out;
  }

  /** The conversation a socket's path names ({@code /ws/chat/{id}}), or null. */
  static @Nullable UUID conversationOf(@Nullable URI uri) {
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

  static @Nullable String queryParam(@Nullable URI uri, String name) {
    return uri == null
        ? null
        : UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst(name);
  }
}
