package dev.grizz.engine.sandbox;

/** A session could not be started or is gone; the message is fit to show to the model. */
public class SandboxException extends Exception {

  public SandboxException(String message) {
    super(message);
  }

  public SandboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
