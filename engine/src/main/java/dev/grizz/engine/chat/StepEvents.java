package dev.grizz.engine.chat;

import dev.grizz.engine.event.ChatEvent;
import dev.grizz.engine.event.EventLog;
import dev.grizz.engine.event.EventType;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** Writes one step's events to the log, numbering them by {@code seq} as it goes. */
final class StepEvents {

  private final EventLog log;
  private final Clock clock;
  private final UUID conversationId;
  private final UUID stepId;
  private long seq;

  StepEvents(EventLog log, Clock clock, UUID conversationId, UUID stepId, long lastSeq) {
    this.log = log;
    this.clock = clock;
    this.conversationId = conversationId;
    this.stepId = stepId;
    this.seq = lastSeq;
  }

  void emit(EventType type, Map<String, Object> data) {
    seq++;
    log.append(
        new ChatEvent(type, conversationId, conversationId, stepId, seq, clock.instant(), data));
  }

  /** The seq of the last event written (or of the earlier attempts' last, before any). */
  long seq() {
    return seq;
  }

  void delta(String text) {
    emit(EventType.MESSAGE_DELTA, Map.of("text", text));
  }
}
