package dev.grizz.engine.security;

/**
 * A request whose credentials are missing, wrong or not enough. {@code code} is the stable error
 * code; the message says in plain words what to do.
 */
public class AuthException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public AuthException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static AuthException unauthenticated(String code, String message) {
    return new AuthException(401, code, message);
  }

  public static AuthException forbidden(String code, String message) {
    return new AuthException(403, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
