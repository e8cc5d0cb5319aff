package dev.grizz.engine.agent;

import dev.grizz.engine.event.EventData;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.ToolCallDelta;
import io.micrometer.core.instrument.Counter;
import java.util.HashMap;
import java.util.Map;

/**
 * Where an answer step's pieces go: its event log, as {@code step.model} (which model answers),
 * {@code message.delta}, {@code reasoning.delta} and {@code tool.call} events, the pieces counted.
 * A tool call's later pieces carry neither id nor name; its events repeat the first piece's, so
 * every {@code tool.call} names both.
 */
final class StepSink implements DeltaSink {

  private final StepEvents events;
  private final Counter deltas;
  private final Map<Integer, ToolCallDelta> calls = new HashMap<>();

  StepSink(StepEvents events, Counter deltas) {
    this.events = events;
    this.deltas = deltas;
  }

  /** Names the model the router picked (or a fallback), before its first token. */
  @Override
  public void attempting(dev.grizz.engine.llm.ModelRef model) {
    events.emit(new EventData.StepModel(model.label()));
  }

  @Override
  public void accept(String text) {
    deltas.increment();
    events.delta(text);
  }

  @Override
  public void reasoning(String text) {
    deltas.increment();
    events.reasoning(text);
  }

  @Override
  public void toolCall(ToolCallDelta delta) {
    ToolCallDelta first = calls.putIfAbsent(delta.index(), delta);
    ToolCallDelta named = first == null ? delta : first;
    deltas.increment();
    events.emit(
        new EventData.ToolCall(
            String.valueOf(named.id()), String.valueOf(named.name()), delta.arguments()));
  }
}
