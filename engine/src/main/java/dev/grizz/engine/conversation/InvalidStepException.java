package dev.grizz.engine.conversation;

import dev.grizz.engine.config.RejectedInputException;

/**
 * A request names a step that cannot serve where it is named (a parent that is not a finished
 * answer, a step of another conversation, a tool step as a branch): 400 with a stable {@code code}
 * and the request field at fault ({@code param}).
 */
public final class InvalidStepException extends RejectedInputException {

  public InvalidStepException(String code, String param, String message) {
    super(code, param, message);
  }
}
