package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.EngineIT;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The codec as the engine wires it, on the engine's own JSON mapper. */
@EngineIT
class EventCodecIT {

  @Autowired EventCodec codec;

  @Test
  void modelTextWithANulCharacterReadsBackFromTheLog() {
    // Requests refuse U+0000 as they are parsed; what a model streamed is not a request, and a
    // stored event holding it must still decode for every subscriber.
    UUID id = UUID.randomUUID();
    Instant ts = Instant.parse("2026-12-07T00:00:00Z");
    List<EventData> samples =
        List.of(
            new EventData.MessageDelta("a\u0000b", null),
            new EventData.MessageCompleted(id, "a\u0000b"));
    for (EventData data : samples) {
      ChatEvent event = new ChatEvent(id, id, id, 1, 1, ts, data);
      assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }
  }
}
