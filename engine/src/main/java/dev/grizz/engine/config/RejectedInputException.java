package dev.grizz.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * Input a feature refuses as sent: a 400 with a stable {@code code} clients can act on, the request
 * field at fault ({@code param}, when one is) and a message that says what to change. Each feature
 * names its own kind (a message, a memory, an MCP server, a step); the API maps them all alike.
 */
public abstract class RejectedInputException extends RuntimeException {

  private final String code;
  private final @Nullable String param;

  protected RejectedInputException(String code, @Nullable String param, String message) {
    super(message);
    this.code = code;
    this.param = param;
  }

  /** The stable error code ({@code content_empty}, {@code memory_too_long}, …). */
  public String code() {
    return code;
  }

  /** The request field at fault, or null when the input as a whole is. */
  public @Nullable String param() {
    return param;
  }
}
