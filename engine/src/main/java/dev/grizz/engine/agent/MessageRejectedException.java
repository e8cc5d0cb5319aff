package dev.grizz.engine.agent;

/** A user's message that cannot be accepted as it is; {@code code} is stable for clients. */
public final class MessageRejectedException extends RuntimeException {

  private final String code;

  public MessageRejectedException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
