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

  /** Sends what a quiet call held back, {@value #GAP_MILLIS} ms after it was held. */
  private static final java.util.concurrent.ScheduledExecutorService LATER =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("tool-output-flush").factory());

  private final StepEvents events;
  private final String callId;
  private boolean flushQueued;
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
    } else if (!flushQueued) {
      // Held back to be joined with what comes next; sent even if nothing does.
      flushQueued = true;
      LATER.schedule(this::flush, GAP_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  /** Sends what is held back; called once the call ends, before its result. */
  synchronized void flush() {
    flushQueued = false;
    if (pending.isEmpty()) {
      return;
    }
    events.emit(new EventData.ToolOutput(callId, pendingStream, pending.toString()));
    pending.setLength(0);
    lastEmit = System.nanoTime();
  }
}
