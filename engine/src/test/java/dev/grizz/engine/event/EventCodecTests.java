package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The event codec: typed records to the contract's JSON and back, as today's clients read it. */
class EventCodecTests {

  static final UUID CONVERSATION = UUID.fromString("0190c5a4-0000-7000-8000-000000000001");
  static final UUID STEP = UUID.fromString("0190c5a4-0000-7000-8000-000000000002");
  static final UUID MESSAGE = UUID.fromString("0190c5a4-0000-7000-8000-000000000003");
  static final Instant TS = Instant.parse("2026-01-02T03:04:05.678Z");

  /** As the engine's mapper is configured (application.properties): snake_case, strict reads. */
  static JsonMapper mapper() {
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }

  private final EventCodec codec = new EventCodec(mapper());

  /** One sample of every type, every field set, so each field's JSON kind shows. */
  static List<EventData> samples() {
    return List.of(
        new EventData.StepStarted("openai/gpt-4o-mini", 1),
        new EventData.StepModel("openai/gpt-4o-mini"),
        new EventData.StepRestarted(2, "worker_lost"),
        new EventData.MessageDelta("Hel", 3L),
        new EventData.ReasoningDelta("The user wants a greeting."),
        new EventData.MessageCompleted(MESSAGE, "Hello"),
        new EventData.Usage(
            "openai",
            "gpt-4o-mini",
            12,
            5,
            new BigDecimal("0.0123"),
            false,
            List.of(
                new EventData.MemoryUsed("9f1c2a4e-0000-4000-8000-000000000001", "Likes teal"))),
        new EventData.ModerationBlocked("output", "violence", List.of("violence", "harassment")),
        new EventData.StepCancelled(),
        new EventData.StepFailed("provider_unavailable", "No provider answered."),
        new EventData.ToolCall("call_1", "current_time", "{\"timezone\":"),
        new EventData.ToolApproval(
            "call_1", "fetch_url", "{\"url\":\"https://example.com\"}", TS.plusSeconds(300)),
        new EventData.ToolOutput("call_1", "stdout", "tick 0\n"),
        new EventData.ToolResult(
            "call_1",
            "current_time",
            "ok",
            "{\"datetime\":\"2026-12-07T20:00:00+09:00\"}",
            false,
            3,
            List.of(
                new EventData.FileRef(
                    "0193f2c4-a1b2-7c3d-8e4f-5a6b7c8d9e0f", "chart.png", "image/png", 2048))),
        new EventData.StepFinished("completed", true),
        new EventData.Error(
            "rate_limited",
            "Too many messages.",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            Map.of("retry_after_seconds", 3)));
  }

  @Test
  void everyEventReadsBackAsWritten() {
    long seq = 1;
    for (EventData sample : samples()) {
      if (sample instanceof EventData.Error) {
        continue;
      }
      ChatEvent event = new ChatEvent(CONVERSATION, CONVERSATION, STEP, seq++, 2, TS, sample);
      assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
      assertThat(codec.decode(new LoggedEvent(new EventId(5, 1), codec.encode(event)).frame()))
          .isEqualTo(event);
    }
  }

  @Test
  void aSingleDeltaCarriesNoSeqFrom() {
    String payload =
        codec.encode(
            new ChatEvent(
                CONVERSATION, CONVERSATION, STEP, 4, 1, TS, new EventData.MessageDelta("Hi")));
    assertThat(payload)
        .isEqualTo(
            "{\"type\":\"message.delta\",\"conversation_id\":\""
                + CONVERSATION
                + "\",\"task_id\":\""
                + CONVERSATION
                + "\",\"step_id\":\""
                + STEP
                + "\",\"seq\":4,\"attempt\":1,\"ts\":\"2026-01-02T03:04:05.678Z\","
                + "\"data\":{\"text\":\"Hi\"}}");
  }

  @Test
  void tokensAProviderDidNotReportStayNullNotZero() {
    EventData.Usage unreported =
        new EventData.Usage("fake", "m", null, null, BigDecimal.ZERO, false);
    String payload =
        codec.encode(new ChatEvent(CONVERSATION, CONVERSATION, STEP, 1, 1, TS, unreported));
    assertThat(payload).contains("\"prompt_tokens\":null,\"completion_tokens\":null");
    assertThat(codec.decode(payload).data()).isEqualTo(unreported);
  }

  @Test
  void aMergedDeltaKeepsTheLastIdAndSeqAndCarriesTheRange() {
    ChatEvent last =
        new ChatEvent(CONVERSATION, CONVERSATION, STEP, 9, 1, TS, new EventData.MessageDelta("c"));
    LoggedEvent stored = new LoggedEvent(new EventId(7, 2), codec.encode(last));
    ChatEvent merged = codec.decode(codec.mergedDelta(stored, last, "abc", 7));
    assertThat(merged.seq()).isEqualTo(9);
    assertThat(merged.data()).isEqualTo(new EventData.MessageDelta("abc", 7L));
    assertThat(codec.mergedDelta(stored, last, "abc", 7)).startsWith("{\"id\":\"7-2\",");
  }

  @Test
  void anUnknownTypeIsRefused() {
    String payload =
        codec
            .encode(
                new ChatEvent(
                    CONVERSATION, CONVERSATION, STEP, 1, 1, TS, new EventData.StepCancelled()))
            .replace("step.cancelled", "step.paused");
    assertThatThrownBy(() -> codec.decode(payload)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsFieldsItDoesNotKnowAndDataBeforeType() {
    String payload =
        "{\"data\":{\"status\":\"completed\",\"later\":1},\"id\":\"1-0\",\"new\":[1],"
            + "\"type\":\"step.finished\",\"conversation_id\":\""
            + CONVERSATION
            + "\",\"task_id\":\""
            + CONVERSATION
            + "\",\"step_id\":\""
            + STEP
            + "\",\"seq\":3,\"attempt\":2,\"ts\":\"2026-01-02T03:04:05.678Z\"}";
    assertThat(codec.decode(payload))
        .isEqualTo(
            new ChatEvent(
                CONVERSATION,
                CONVERSATION,
                STEP,
                3,
                2,
                TS,
                new EventData.StepFinished("completed")));
  }

  @Test
  void readsTimestampsAsInstantParseDoes() {
    for (String ts :
        List.of(
            "2026-01-02T03:04:05Z",
            "2026-01-02T03:04:05.6Z",
            "2026-01-02T03:04:05.678Z",
            "2026-12-31T23:59:59.123456Z",
            "2024-02-29T00:00:00.000000001Z",
            "1970-01-01T00:00:00.987654321Z",
            "2026-01-02T03:04:05.Z")) {
      assertThat(EventCodec.instant(ts)).as(ts).isEqualTo(Instant.parse(ts));
    }
    assertThat(EventCodec.instant("2026-01-02T03:04:05+01:00"))
        .isEqualTo(Instant.parse("2026-01-02T03:04:05+01:00"));
    assertThatThrownBy(() -> EventCodec.instant("2026-02-30T03:04:05Z"))
        .isInstanceOf(java.time.format.DateTimeParseException.class);
  }
}
