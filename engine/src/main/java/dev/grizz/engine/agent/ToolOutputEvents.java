package dev.grizz.engine.agent;

import dev.grizz.engine.event.EventData;
import dev.grizz.engine.tool.ToolProgress;

/**
 * A tool call's live output as {@code tool.output} events of its step: pieces that come within
 * {@value #GAP_MILLIS} ms of the last event are joined (a loop that prints a line at a time makes a
 * few events, not thousands), and at most {@value #MAX_CHARS} characters are streamed per call (the
 * result carries the whole, capped output).
 */
final class ToolOutputEvents implements ToolProgress {

  static final long GAP_MILLIS = 100;
  static final int MAX_CHARS = 32_000;

  private final StepEvents events;
  private final String callId;
  private final StringBuilder pending = new StringBuilder();
  private String pendingStream = "stdout";
  private long lastEmit;
  private int streamed;

  ToolOutputEvents(StepEvents events, String callId) {
    this.events = events;
    this.callId = callId;
  }

  @Override
  public synchronized void output(String stream, String text) {
    if (streamed >= MAX_CHARS || text.isEmpty()) {
      return;
    }
    if (!stream.equals(pendingStream)) {
      flush();
      pendingStream = stream;
    }
    String kept = text.substring(0, Math.min(text.length(), MAX_CHARS - streamed));
    pending.append(kept);
    streamed += kept.length();
    if (System.nanoTime() - lastEmit >= GAP_MILLIS * 1_000_000 || streamed >= MAX_CHARS) {
      flush();
    }
  }

  /** Sends what is held back; called once the call ends, before its result. */
  synchronized void flush() {
    if (pending.isEmpty()) {
      return;
    }
    events.emit(new EventData.ToolOutput(callId, pendingStream, pending.toString()));
    pending.setLength(0);
    lastEmit = System.nanoTime();
  }
}
