package dev.grizz.engine.memory;

/**
 * A memory that cannot be kept as sent: empty, too long, one too many, an unknown status or mode.
 * The code is stable; the message says what to change.
 */
public final class MemoryRejectedException extends RuntimeException {

  private final String code;
  private final String param;

  public MemoryRejectedException(String code, String param, String message) {
    super(message);
    this.code = code;
    this.param = param;
  }

  /** The stable error code ({@code memory_too_long}, …). */
  public String code() {
    return code;
  }

  /** The request field at fault. */
  public String param() {
    return param;
  }
}
