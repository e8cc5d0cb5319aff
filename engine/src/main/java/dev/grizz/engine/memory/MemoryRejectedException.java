package dev.grizz.engine.memory;

import dev.grizz.engine.config.RejectedInputException;

/**
 * A memory that cannot be kept as sent: empty, too long, one too many, an unknown status or mode.
 * The code is stable ({@code memory_too_long}, …); the message says what to change.
 */
public final class MemoryRejectedException extends RejectedInputException {

  public MemoryRejectedException(String code, String param, String message) {
    super(code, param, message);
  }
}
