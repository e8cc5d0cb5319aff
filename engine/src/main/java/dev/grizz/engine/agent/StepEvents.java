package dev.grizz.engine.agent;

import dev.grizz.engine.event.ChatEvent;
import dev.grizz.engine.event.EventData;
import dev.grizz.engine.event.EventLog;
import dev.grizz.engine.event.StepFence;
import dev.grizz.engine.llm.CancelSignal;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one attempt's events of a step to the log, numbering them by {@code seq} as it goes, under
 * the attempt's fence. When the log refuses an event because a later attempt has taken the step,
 * the attempt is over: it writes nothing more and {@code stop} fires, so its generation ends too.
 * The refusal stays here (an INFO line), never an exception in the middle of a stream.
 */
public final class StepEvents {

  private static final Logger log = LoggerFactory.getLogger(StepEvents.class);

  private final EventLog events;
  private final Clock clock;
  private final StepFence fence;
  private final CancelSignal stop;
  private long seq;
  private boolean fencedOut;

  StepEvents(EventLog events, Clock clock, StepFence fence, long lastSeq, CancelSignal stop) {
    this.events = events;
    this.clock = clock;
    this.fence = fence;
    this.stop = stop;
    this.seq = lastSeq;
  }

  void emit(EventData data) {
    if (fencedOut) {
      return;
    }
    ChatEvent event =
        new ChatEvent(
            fence.conversationId(),
            fence.conversationId(),
            fence.stepId(),
            seq + 1,
            fence.attempt(),
            clock.instant(),
            data);
    if (events.append(event, fence).isEmpty()) {
      fencedOut = true;
      log.info(
          "step {}: attempt {} was taken over by a later attempt; it stops and writes nothing more",
          fence.stepId(),
          fence.attempt());
      stop.cancel();
      return;
    }
    seq++;
  }

  /** The seq of the last event written (or of the earlier attempts' last, before any). */
  long seq() {
    return seq;
  }

  /** True once the log refused an event: a later attempt holds the step. */
  boolean fencedOut() {
    return fencedOut;
  }

  void delta(String text) {
    emit(new EventData.MessageDelta(text));
  }

  void reasoning(String text) {
    emit(new EventData.ReasoningDelta(text));
  }
}
