package dev.grizz.engine.event;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one codec of the event contract: writes an event's payload once, as the contract's JSON minus
 * the id, and reads a payload or a frame back into the typed event. Every delta passes here, so
 * neither direction goes through a tree: records are written by cached serializers, and reading is
 * one pass over the tokens (envelope, timestamp and a delta's data by hand; other types' data bound
 * to their record). CodecBenchmark measures both.
 */
@Component
public class EventCodec {

  private final JsonMapper json;
  private final Map<String, ObjectReader> readers;

  EventCodec(JsonMapper json) {
    this.json = storedText(json);
    this.readers = readers(this.json);
  }

  /**
   * The engine's mapper, less its refusal of U+0000 in text: that refusal is for what clients send
   * (PostgreSQL cannot store it), while the log holds what models streamed, which every subscriber
   * must still be able to read back.
   */
  private static JsonMapper storedText(JsonMapper json) {
    return json.rebuild()
        .addModule(
            new tools.jackson.databind.module.SimpleModule("stored-text")
                .addDeserializer(
                    String.class, tools.jackson.databind.deser.jdk.StringDeserializer.instance))
        .nodeFactory(tools.jackson.databind.node.JsonNodeFactory.instance)
        .build();
  }

  /** The payload's fields in contract order; the id is added per transport frame. */
  record Payload(
      String type,
      UUID conversationId,
      UUID taskId,
      UUID stepId,
      long seq,
      int attempt,
      Instant ts,
      EventData data) {}

  /**
   * An {@code error} frame as a transport sends it to one client, outside the log: no envelope, so
   * no id or seq.
   */
  public record ErrorFrame(String type, EventData.Error data) {
    public ErrorFrame(EventData.Error data) {
      this(EventData.Error.TYPE, data);
    }
  }

  public String encode(ChatEvent event) {
    return json.writeValueAsString(
        new Payload(
            event.type(),
            event.conversationId(),
            event.taskId(),
            event.stepId(),
            event.seq(),
            event.attempt(),
            event.ts(),
            event.data()));
  }

  /**
   * Reads a stored event (or a frame, whose {@code id} is skipped) in one pass over its tokens: the
   * envelope by hand, {@code data} bound straight to its type's record (the encoder writes {@code
   * type} first; a payload that does not is buffered).
   *
   * @throws IllegalArgumentException when its type is unknown or a field is missing
   */
  public ChatEvent decode(String payload) {
    String type = null;
    UUID conversationId = null;
    UUID taskId = null;
    UUID stepId = null;
    long seq = 0;
    int attempt = 0;
    Instant ts = null;
    EventData data = null;
    JsonNode early = null;
    try (JsonParser p = json.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("an event is a JSON object");
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "type" -> type = p.getString();
          case "conversation_id" -> conversationId = UUID.fromString(p.getString());
          case "task_id" -> taskId = UUID.fromString(p.getString());
          case "step_id" -> stepId = UUID.fromString(p.getString());
          case "seq" -> seq = p.getLongValue();
          case "attempt" -> attempt = p.getIntValue();
          case "ts" -> ts = instant(p.getString());
          case "data" -> {
            if (EventData.MessageDelta.TYPE.equals(type)) {
              data = delta(p);
            } else if (type != null) {
              data = reader(type).readValue(p);
            } else {
              early = p.readValueAsTree();
            }
          }
          // Fields it does not know (the frame's id, one a newer pod added) are skipped.
          default -> p.skipChildren();
        }
      }
    }
    if (type == null) {
      throw new IllegalArgumentException("an event needs a type");
    }
    if (data == null && early != null) {
      data = reader(type).readValue(early);
    }
    if (conversationId == null || taskId == null || stepId == null || ts == null || data == null) {
      throw new IllegalArgumentException("a " + type + " event misses a field of its envelope");
    }
    return new ChatEvent(conversationId, taskId, stepId, seq, attempt, ts, data);
  }

  /**
   * A delta's data, read by hand: deltas are most of the log and of a backlog's decodes, and
   * binding the record took as long as the rest of the event.
   */
  private static EventData.MessageDelta delta(JsonParser p) {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("a message.delta's data is an object");
    }
    String text = null;
    Long seqFrom = null;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "text" -> text = p.getString();
        case "seq_from" ->
            seqFrom = p.currentToken() == JsonToken.VALUE_NULL ? null : p.getLongValue();
        default -> p.skipChildren();
      }
    }
    if (text == null) {
      throw new IllegalArgumentException("a message.delta needs its text");
    }
    return new EventData.MessageDelta(text, seqFrom);
  }

  /**
   * Parses the UTC timestamps the encoder writes ({@code 2026-01-02T03:04:05.678Z}, 0 to 9 fraction
   * digits) by hand: {@link Instant#parse} took about 600 ns, most of a decode. Anything else goes
   * to {@link Instant#parse}.
   */
  static Instant instant(String text) {
    int n = text.length();
    if (n < 20
        || n > 30
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(n - 1) != 'Z'
        || (n > 20 && (text.charAt(19) != '.' || n == 21))) {
      return Instant.parse(text);
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = 0;
    if (n > 20) {
      int fraction = digits(text, 20, n - 1);
      if (fraction < 0) {
        return Instant.parse(text);
      }
      nanos = fraction * POWERS[9 - (n - 21)];
    }
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
      return Instant.parse(text);
    }
    if (day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return Instant.parse(text);
    }
    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
  }

  private static final int[] POWERS = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  /** The number {@code text[from, to)} spells in ASCII digits, or -1. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private ObjectReader reader(String type) {
    ObjectReader reader = readers.get(type);
    if (reader == null) {
      throw new IllegalArgumentException("unknown event type " + type);
    }
    return reader;
  }

  /** One reader per record, found from the sealed interface itself so none can be left out. */
  private static Map<String, ObjectReader> readers(JsonMapper json) {
    Map<String, ObjectReader> readers = new HashMap<>();
    for (Class<?> type : EventData.class.getPermittedSubclasses()) {
      try {
        String name = (String) type.getField("TYPE").get(null);
        // Lenient about fields it does not know, so a pod reads events a newer pod wrote during a
        // rolling deploy; the envelope's tokens after data are the envelope's, not trailing.
        readers.put(
            name,
            json.readerFor(type)
                .without(
                    DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                    DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(type + " needs a public static TYPE", e);
      }
    }
    return Map.copyOf(readers);
  }

  public ChatEvent decode(LoggedEvent event) {
    return decode(event.payload());
  }

  /** A frame for consecutive deltas merged into one: the last's id and seq, all their text. */
  String mergedDelta(LoggedEvent last, ChatEvent lastEvent, String text, long seqFrom) {
    ChatEvent merged =
        new ChatEvent(
            lastEvent.conversationId(),
            lastEvent.taskId(),
            lastEvent.stepId(),
            lastEvent.seq(),
            lastEvent.attempt(),
            lastEvent.ts(),
            new EventData.MessageDelta(text, seqFrom));
    return new LoggedEvent(last.id(), encode(merged)).frame();
  }

  public String json(Object value) {
    return json.writeValueAsString(value);
  }
}
