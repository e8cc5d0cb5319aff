package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.EngineIT;
import dev.grizz.engine.config.IdGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@EngineIT
class SubscriptionIT {

  @Autowired EventLog log;
  @Autowired JsonMapper json;

  private final UUID conversation = UUID.randomUUID();
  @Autowired IdGenerator ids;

  private UUID step;

  @BeforeEach
  void aStepOfTheConversation() {
    step = ids.next();
  }

  private void append(long seq, EventData data) {
    log.append(new ChatEvent(conversation, conversation, step, seq, 1, Instant.now(), data));
  }

  private List<JsonNode> read(Subscription subscription) {
    return subscription.next(Duration.ofSeconds(2)).stream()
        .map(frame -> json.readTree(frame.json()))
        .toList();
  }

  @Test
  void aClientBehindGetsConsecutiveDeltasMergedIntoOne() {
    append(1, new EventData.StepStarted("m", 1));
    StringBuilder text = new StringBuilder();
    for (int seq = 2; seq <= 41; seq++) {
      append(seq, new EventData.MessageDelta("w" + seq + " "));
      text.append("w").append(seq).append(' ');
    }
    append(42, new EventData.StepFinished("completed"));

    try (Subscription behind = log.subscribe(conversation, null, null)) {
      List<JsonNode> frames = read(behind);

      assertThat(frames)
          .extracting(f -> f.get("type").asString())
          .containsExactly("step.started", "message.delta", "step.finished");
      JsonNode merged = frames.get(1);
      assertThat(merged.at("/data/text").asString()).isEqualTo(text.toString());
      assertThat(merged.at("/data/seq_from").asLong()).isEqualTo(2);
      assertThat(merged.get("seq").asLong()).isEqualTo(41);
      assertThat(behind.cursor()).isEqualTo(EventId.parse(frames.getLast().get("id").asString()));
    }
  }

  @Test
  void aClientKeepingUpGetsEachDeltaAsItCame() {
    try (Subscription live = log.subscribe(conversation, null, null)) {
      for (int seq = 1; seq <= 5; seq++) {
        append(seq, new EventData.MessageDelta("t" + seq));
        List<JsonNode> frames = read(live);
        assertThat(frames).hasSize(1);
        assertThat(frames.getFirst().get("seq").asLong()).isEqualTo(seq);
        assertThat(frames.getFirst().at("/data/seq_from").isMissingNode()).isTrue();
      }
    }
  }

  @Test
  void withoutACursorReadingStartsAtTheGivenStep() {
    UUID earlier = step;
    append(1, new EventData.StepFinished("completed"));
    UUID later = ids.next();
    log.append(
        new ChatEvent(
            conversation,
            conversation,
            later,
            1,
            1,
            Instant.now(),
            new EventData.StepStarted("m", 1)));

    try (Subscription subscription = log.subscribe(conversation, null, later)) {
      List<JsonNode> frames = read(subscription);
      assertThat(frames)
          .extracting(f -> f.get("step_id").asString())
          .containsExactly(later.toString());
      assertThat(frames.getFirst().get("step_id").asString()).isNotEqualTo(earlier.toString());
    }
  }

  @Test
  void aStepsEventsAreReadFromAMinuteBeforeItWasCreated() {
    UUID stepId = ids.next();
    long created = stepId.getMostSignificantBits() >>> 16;

    assertThat(EventLog.readStartFor(stepId)).isEqualTo(new EventId(created - 60_000, 0));
    assertThat(EventLog.readStartFor(UUID.randomUUID())).as("not time-based").isNull();
  }

  @Test
  void aClosedSubscriptionReturnsAtOnce() {
    Subscription subscription = log.subscribe(conversation, null, null);
    subscription.close();

    assertThat(subscription.next(Duration.ofSeconds(30))).isEmpty();
    assertThat(subscription.isClosed()).isTrue();
  }
}
