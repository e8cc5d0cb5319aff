package dev.grizz.engine.sandbox.pool;

import java.io.InputStream;
import java.io.OutputStream;

/** One started sandbox (a micro-VM, a gVisor container) whose Python speaks on two streams. */
public interface PooledSandbox extends AutoCloseable {

  /** The guest's protocol output. */
  InputStream fromGuest();

  /** The guest's protocol input. */
  OutputStream toGuest();

  /** Whether it still runs (and was not closed). */
  boolean alive();

  /** Why it ended, for the session's error (the last of its console or errors). */
  String deathReason();

  /** Kills it and removes what it left on disk; idempotent. */
  @Override
  void close();
}
