package dev.grizz.engine.tool;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How a call ended and what the model is shown: the (capped) result text, or why there is none.
 * Every status but {@code OK} is an error result the model reads and may act on; none fails a step.
 */
public record ToolRun(
    Status status, String content, Duration duration, boolean truncated, List<ToolFile> files) {

  public ToolRun {
    files = List.copyOf(files);
  }

  public ToolRun(Status status, String content, Duration duration, boolean truncated) {
    this(status, content, duration, truncated, List.of());
  }

  /** The closed set of ways a call ends. */
  public enum Status {
    /** The tool answered. */
    OK,
    /** The tool answered with an error, or threw. */
    ERROR,
    /** The arguments were not JSON, or did not match the schema: the tool did not run. */
    INVALID_ARGUMENTS,
    /** The tool did not answer within its time limit and was stopped. */
    TIMEOUT,
    /** The user cancelled the turn while the tool ran. */
    CANCELLED,
    /** The user denied the call, or did not approve it in time: the tool did not run. */
    DENIED,
    /** The pod running a tool that is not idempotent died: it may or may not have happened. */
    INTERRUPTED,
    /** No tool of that name may be called here. */
    UNKNOWN_TOOL;

    /** The status as stored and sent ({@code invalid_arguments}). */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status fromWire(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  public boolean ok() {
    return status == Status.OK;
  }

  /** A call that did not run, with the reason the model is given. */
  public static ToolRun refused(Status status, String reason) {
    return new ToolRun(status, reason, Duration.ZERO, false);
  }
}
