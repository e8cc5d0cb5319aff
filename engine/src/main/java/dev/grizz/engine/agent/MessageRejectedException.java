package dev.grizz.engine.agent;

import dev.grizz.engine.config.RejectedInputException;

/** A user's message that cannot be accepted as it is; {@code code} is stable for clients. */
public final class MessageRejectedException extends RejectedInputException {

  public MessageRejectedException(String code, String message) {
    super(code, null, message);
  }
}
