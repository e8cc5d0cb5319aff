package dev.grizz.engine.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one codec of the event contract: writes an event's payload once, as the contract's JSON minus
 * the id, and reads a payload or a frame back into the typed event. Both directions bind records
 * straight to and from the token stream (serializers cached per class), never through a tree, since
 * every delta passes here.
 */
@Component
public class EventCodec {

  private final JsonMapper json;
  // Lenient about fields it does not know, so a pod reads events a newer pod wrote during a
  // rolling deploy; an unknown type still fails.
  private final ObjectReader reader;

  EventCodec(JsonMapper json) {
    this.json = json;
    this.reader =
        json.readerFor(Stored.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
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

  /** A payload or frame as read: {@code type} names the record {@code data} is read as. */
  record Stored(
      UUID conversationId,
      UUID taskId,
      UUID stepId,
      long seq,
      int attempt,
      Instant ts,
      @JsonTypeInfo(
              use = JsonTypeInfo.Id.NAME,
              include = JsonTypeInfo.As.EXTERNAL_PROPERTY,
              property = "type")
          @JsonSubTypes({
            @JsonSubTypes.Type(
                value = EventData.StepStarted.class,
                name = EventData.StepStarted.TYPE),
            @JsonSubTypes.Type(
                value = EventData.StepRestarted.class,
                name = EventData.StepRestarted.TYPE),
            @JsonSubTypes.Type(
                value = EventData.MessageDelta.class,
                name = EventData.MessageDelta.TYPE),
            @JsonSubTypes.Type(
                value = EventData.MessageCompleted.class,
                name = EventData.MessageCompleted.TYPE),
            @JsonSubTypes.Type(value = EventData.Usage.class, name = EventData.Usage.TYPE),
            @JsonSubTypes.Type(
                value = EventData.ModerationBlocked.class,
                name = EventData.ModerationBlocked.TYPE),
            @JsonSubTypes.Type(
                value = EventData.StepCancelled.class,
                name = EventData.StepCancelled.TYPE),
            @JsonSubTypes.Type(
                value = EventData.StepFailed.class,
                name = EventData.StepFailed.TYPE),
            @JsonSubTypes.Type(
                value = EventData.StepFinished.class,
                name = EventData.StepFinished.TYPE),
            @JsonSubTypes.Type(value = EventData.Error.class, name = EventData.Error.TYPE)
          })
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
   * Reads a stored event (or a frame, whose {@code id} is ignored).
   *
   * @throws tools.jackson.core.JacksonException when it is not an event of a known type
   */
  public ChatEvent decode(String payload) {
    Stored stored = reader.readValue(payload);
    return new ChatEvent(
        stored.conversationId(),
        stored.taskId(),
        stored.stepId(),
        stored.seq(),
        stored.attempt(),
        stored.ts(),
        stored.data());
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
