package dev.grizz.engine.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Writes an event's payload once, as the contract's JSON minus the id, and reads it back. */
@Component
public class EventCodec {

  private final JsonMapper json;

  EventCodec(JsonMapper json) {
    this.json = json;
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
      Map<String, Object> data) {}

  public String encode(ChatEvent event) {
    return json.writeValueAsString(
        new Payload(
            event.type().wire(),
            event.conversationId(),
            event.taskId(),
            event.stepId(),
            event.seq(),
            event.attempt(),
            event.ts(),
            event.data()));
  }

  /** The parts of a stored event the engine itself looks at. */
  public record Decoded(EventType type, UUID stepId, long seq, JsonNode data) {}

  public Decoded decode(LoggedEvent event) {
    JsonNode node = json.readTree(event.payload());
    return new Decoded(
        EventType.fromWire(node.get("type").asString()),
        UUID.fromString(node.get("step_id").asString()),
        node.get("seq").asLong(),
        node.get("data"));
  }

  /** A frame for consecutive deltas merged into one: the last's id and seq, all their text. */
  String mergedDelta(LoggedEvent last, String text, long seqFrom) {
    tools.jackson.databind.node.ObjectNode node =
        (tools.jackson.databind.node.ObjectNode) json.readTree(last.frame());
    tools.jackson.databind.node.ObjectNode data = node.putObject("data");
    data.put("text", text);
    data.put("seq_from", seqFrom);
    return json.writeValueAsString(node);
  }

  public String json(Object value) {
    return json.writeValueAsString(value);
  }
}
