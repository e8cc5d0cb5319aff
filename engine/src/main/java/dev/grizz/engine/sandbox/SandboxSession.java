package dev.grizz.engine.sandbox;

import java.util.List;

/**
 * A running Python session: variables, imports and files under {@code /mnt/data} last from one
 * {@link #exec} to the next until {@link #close}. One call at a time: {@link #exec} blocks a second
 * caller until the first returns.
 */
public interface SandboxSession extends AutoCloseable {

  String id();

  /**
   * Runs {@code code} as a notebook cell would (the value of a last bare expression is printed),
   * streaming output to {@code output} as it comes.
   *
   * @throws SandboxException when the session is gone (killed, crashed, closed) before the call
   */
  ExecResult exec(String code, OutputListener output) throws SandboxException;

  /**
   * Writes a file under {@code /mnt/data} (an upload); {@code name} is a plain file name, no
   * slashes.
   */
  void putFile(String name, byte[] content) throws SandboxException;

  /** The files under {@code /mnt/data}, names and sizes, without contents. */
  List<SandboxFile> listFiles() throws SandboxException;

  /** Whether the session can still run code. */
  boolean alive();

  /** Stops the session and frees everything it held; idempotent. */
  @Override
  void close();

  /** Receives output while a call runs. Called from a backend thread; must not block for long. */
  interface OutputListener {
    OutputListener NONE = (stream, text) -> {};

    void output(ExecResult.Stream stream, String text);
  }
}
