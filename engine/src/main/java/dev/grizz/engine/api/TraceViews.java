package dev.grizz.engine.api;

import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.conversation.Traces;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The JSON shape of how an answer was made (its turn's trace), from the steps' own records. */
final class TraceViews {

  private TraceViews() {}

  record TraceView(
      UUID conversationId,
      UUID questionStepId,
      Instant startedAt,
      @Nullable Instant endedAt,
      @Nullable Long durationMs,
      int promptTokens,
      int completionTokens,
      BigDecimal usageCents,
      List<TraceStepView> steps) {}

  record TraceStepView(
      UUID id,
      @Nullable UUID parentStepId,
      String type,
      String status,
      @Nullable String model,
      @Nullable String provider,
      List<Object> fallbacks,
      @Nullable String tool,
      @Nullable String outcome,
      List<ToolCallView> toolCalls,
      @Nullable Integer promptTokens,
      @Nullable Integer completionTokens,
      @Nullable BigDecimal usageCents,
      Instant startedAt,
      @Nullable Instant endedAt,
      @Nullable Long durationMs,
      @Nullable Long timeToFirstTokenMs,
      @Nullable String finishReason,
      @Nullable Object error) {}

  /** A tool call an answer made, and how its step ended. */
  record ToolCallView(UUID stepId, String name, String status, @Nullable String outcome) {}

  static TraceView of(UUID conversationId, Traces.Trace trace) {
    List<TraceStepView> steps = new ArrayList<>();
    int prompt = 0;
    int completion = 0;
    BigDecimal cents = BigDecimal.ZERO;
    Instant ended = null;
    boolean open = false;
    for (Step step : trace.steps()) {
      TraceStepView view = step(step, trace.steps());
      steps.add(view);
      prompt += step.promptTokens() == null ? 0 : step.promptTokens();
      completion += step.completionTokens() == null ? 0 : step.completionTokens();
      cents = step.usageCents() == null ? cents : cents.add(step.usageCents());
      open |= view.endedAt() == null;
      if (view.endedAt() != null && (ended == null || view.endedAt().isAfter(ended))) {
        ended = view.endedAt();
      }
    }
    Instant started = trace.question().createdAt();
    Instant end = open ? null : ended;
    return new TraceView(
        conversationId,
        trace.question().id(),
        started,
        end,
        end == null ? null : Duration.between(started, end).toMillis(),
        prompt,
        completion,
        cents,
        steps);
  }

  private static TraceStepView step(Step step, List<Step> turn) {
    Map<String, Object> m = step.metadata();
    boolean tool = step.type() == Step.StepType.TOOL;
    Instant ended = step.status().finished() ? step.updatedAt() : null;
    Long duration = number(m.get(tool ? "duration_ms" : "total_ms"));
    if (duration == null && ended != null) {
      duration = Duration.between(step.createdAt(), ended).toMillis();
    }
    List<ToolCallView> calls = new ArrayList<>();
    for (Step child : turn) {
      if (child.type() == Step.StepType.TOOL && step.id().equals(child.parentStepId())) {
        calls.add(
            new ToolCallView(
                child.id(),
                String.valueOf(child.metadata().getOrDefault("name", "")),
                Views.wire(child.status()),
                text(child.metadata().get("outcome"))));
      }
    }
    return new TraceStepView(
        step.id(),
        step.parentStepId(),
        Views.wire(step.type()),
        Views.wire(step.status()),
        tool ? null : text(m.get("model")),
        step.provider(),
        m.get("fallbacks") instanceof List<?> list ? List.copyOf(list) : List.of(),
        tool ? text(m.get("name")) : null,
        tool ? text(m.get("outcome")) : null,
        calls,
        step.promptTokens(),
        step.completionTokens(),
        step.usageCents(),
        step.createdAt(),
        ended,
        duration,
        number(m.get("time_to_first_token_ms")),
        text(m.get("finish_reason")),
        m.get("error"));
  }

  private static @Nullable String text(@Nullable Object value) {
    return value == null ? null : value.toString();
  }

  private static @Nullable Long number(@Nullable Object value) {
    return value instanceof Number n ? n.longValue() : null;
  }
}
