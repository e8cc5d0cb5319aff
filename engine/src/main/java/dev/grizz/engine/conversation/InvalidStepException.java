package dev.grizz.engine.conversation;

/**
 * A request names a step that cannot serve where it is named (a parent that is not a finished
 * answer, a step of another conversation, a tool step as a branch): 400 with a stable {@code code}
 * and the request field at fault ({@code param}).
 */
public final class InvalidStepException extends RuntimeException {

  private final String code;
  private final String param;

  public InvalidStepException(String code, String param, String message) {
    super(message);
    this.code = code;
    this.param = param;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }
}
