package dev.grizz.engine.event;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The kinds of events a conversation's stream carries. */
public enum EventType {
  STEP_STARTED("step.started"),
  STEP_RESTARTED("step.restarted"),
  MESSAGE_DELTA("message.delta"),
  MESSAGE_COMPLETED("message.completed"),
  USAGE("usage"),
  TOOL_CALL("tool.call"),
  TOOL_RESULT("tool.result"),
  MODERATION_BLOCKED("moderation.blocked"),
  STEP_CANCELLED("step.cancelled"),
  STEP_FAILED("step.failed"),
  STEP_FINISHED("step.finished"),
  ERROR("error");

  private static final Map<String, EventType> BY_WIRE =
      Arrays.stream(values()).collect(Collectors.toMap(EventType::wire, Function.identity()));

  private final String wire;

  EventType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static EventType fromWire(String wire) {
    EventType type = BY_WIRE.get(wire);
    if (type == null) {
      throw new IllegalArgumentException("unknown event type " + wire);
    }
    return type;
  }

  /** True for the event that ends a step's stream. */
  public boolean endsStep() {
    return this == STEP_FINISHED;
  }
}
