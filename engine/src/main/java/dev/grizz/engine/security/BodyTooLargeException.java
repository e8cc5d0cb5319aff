package dev.grizz.engine.security;

import java.io.IOException;

/**
 * A request body went past {@code grizz.web.max-body-bytes} while it was being read (a chunked
 * body, or one that carried no length). Whoever maps errors answers 413 {@code payload_too_large}.
 */
public class BodyTooLargeException extends IOException {

  private static final long serialVersionUID = 1L;

  private final long limit;

  BodyTooLargeException(long limit) {
    super("The request body is larger than " + limit + " bytes.");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }

  /** The message for a client, or null when {@code e} was not caused by a body over the limit. */
  public static @org.jspecify.annotations.Nullable String messageIfCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BodyTooLargeException tooLarge) {
        return tooLarge.getMessage();
      }
    }
    return null;
  }
}
