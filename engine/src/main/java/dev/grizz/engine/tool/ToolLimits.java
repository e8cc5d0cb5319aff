package dev.grizz.engine.tool;

import java.time.Duration;

/**
 * How a tool may be run: the longest a call may take, the largest result the model is shown (longer
 * results are cut, visibly), whether running a call twice is harmless (a call interrupted by a
 * pod's death is run again only then; otherwise the model is told it may or may not have happened),
 * and whether the user must approve each call before it runs.
 */
public record ToolLimits(
    Duration timeout, int maxResultChars, boolean idempotent, boolean needsApproval) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_RESULT_CHARS = 16_000;

  /** Not idempotent, no approval, the default time and size limits. */
  public static final ToolLimits DEFAULT =
      new ToolLimits(DEFAULT_TIMEOUT, DEFAULT_MAX_RESULT_CHARS, false, false);

  public ToolLimits {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("a tool's timeout must be positive, not " + timeout);
    }
    if (maxResultChars < 1) {
      throw new IllegalArgumentException(
          "a tool's result limit must be at least 1 character, not " + maxResultChars);
    }
  }

  public ToolLimits withTimeout(Duration value) {
    return new ToolLimits(value, maxResultChars, idempotent, needsApproval);
  }

  public ToolLimits withMaxResultChars(int value) {
    return new ToolLimits(timeout, value, idempotent, needsApproval);
  }

  public ToolLimits idempotent(boolean value) {
    return new ToolLimits(timeout, maxResultChars, value, needsApproval);
  }

  public ToolLimits needsApproval(boolean value) {
    return new ToolLimits(timeout, maxResultChars, idempotent, value);
  }
}
