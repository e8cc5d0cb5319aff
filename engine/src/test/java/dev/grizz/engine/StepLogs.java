package dev.grizz.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.event.EventId;
import dev.grizz.engine.event.EventLog;
import dev.grizz.engine.event.LoggedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A step's events as the log holds them (every event, unmerged, in log order), and the checks that
 * one answer was written: what any client replaying the log sees.
 */
public final class StepLogs {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private StepLogs() {}

  /** The step's events in the conversation's log, read through {@code pod}. */
  public static List<JsonNode> read(EngineInstance pod, String conversation, String step) {
    EventLog log = pod.bean(EventLog.class);
    List<JsonNode> events = new ArrayList<>();
    EventId cursor = null;
    while (true) {
      List<LoggedEvent> page = log.readAfter(UUID.fromString(conversation), cursor, 1000);
      if (page.isEmpty()) {
        return events;
      }
      for (LoggedEvent event : page) {
        JsonNode node = JSON.readTree(event.frame());
        if (node.path("step_id").asString().equals(step)) {
          events.add(node);
        }
      }
      cursor = page.getLast().id();
    }
  }

  /**
   * Checks that the log holds one answer: seq 1, 2, 3… in log order with no gap or duplicate,
   * started then finished; each {@code step.restarted} raises the attempt and no event of an
   * earlier attempt follows it; the deltas after the last restart are the stored text.
   */
  public static void assertOneAnswer(List<JsonNode> events, String storedText) {
    assertThat(events).as("the step's events").isNotEmpty();
    assertThat(events.getFirst().get("type").asString()).isEqualTo("step.started");
    assertThat(events.getLast().get("type").asString()).isEqualTo("step.finished");
    long seq = 0;
    int attempt = 0;
    StringBuilder text = new StringBuilder();
    for (JsonNode event : events) {
      assertThat(event.get("seq").asLong()).as("seq of %s", event).isEqualTo(++seq);
      String type = event.get("type").asString();
      if (type.equals("step.started") || type.equals("step.restarted")) {
        int next = event.at("/data/attempt").asInt();
        assertThat(next).as("attempt of %s", event).isGreaterThan(attempt);
        attempt = next;
        text.setLength(0);
      }
      assertThat(event.path("attempt").asInt(attempt))
          .as(
              "an event of attempt %s after attempt %s began: %s",
              event.get("attempt"), attempt, event)
          .isEqualTo(attempt);
      if (type.equals("message.delta")) {
        text.append(event.at("/data/text").asString());
      }
    }
    assertThat(text.toString()).as("the text after the last restart").isEqualTo(storedText);
  }
}
