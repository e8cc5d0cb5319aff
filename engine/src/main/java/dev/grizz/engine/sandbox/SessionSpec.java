package dev.grizz.engine.sandbox;

/**
 * What a new session is: its id (for logs and metrics; unique per backend) and its limits.
 *
 * @param id the session's id, {@code [A-Za-z0-9_-]{1,64}}
 * @param limits what one session and each of its calls may use
 */
public record SessionSpec(String id, SandboxLimits limits) {

  public SessionSpec {
    if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("bad session id: " + id);
    }
  }
}
