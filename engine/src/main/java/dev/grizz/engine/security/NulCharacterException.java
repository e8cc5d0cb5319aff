package dev.grizz.engine.security;

/**
 * A text in a request held U+0000. PostgreSQL cannot store it in a text column, so such input is
 * refused as it is parsed (400 {@code invalid_text}) instead of failing where it is written.
 */
public class NulCharacterException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public static final String MESSAGE =
      "Text must not contain the NUL character (U+0000); remove it and send again.";

  NulCharacterException() {
    super(MESSAGE, null, false, false);
  }

  /** True when {@code e} or one of its causes is this exception. */
  public static boolean isCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NulCharacterException) {
        return true;
      }
    }
    return false;
  }

  static String checked(String text) {
    if (text.indexOf('\0') >= 0) {
      throw new NulCharacterException();
    }
    return text;
  }
}
