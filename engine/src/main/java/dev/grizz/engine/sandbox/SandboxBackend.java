package dev.grizz.engine.sandbox;

import org.jspecify.annotations.Nullable;

/**
 * One way of isolating Python sessions (bubblewrap, a KVM micro-VM, gVisor). Implementations are
 * thread-safe; {@link #start} may be called concurrently.
 */
public interface SandboxBackend extends AutoCloseable {

  /** The setting's value that picks this backend: {@code bubblewrap}, {@code microvm}, ... */
  String name();

  /** The backend as the start-up line names it: its name and, where it matters, how it runs. */
  default String description() {
    return name();
  }

  /**
   * Why this backend cannot run on this machine (a missing binary, no {@code /dev/kvm}, no rootfs),
   * in words an operator can act on; null when it can.
   */
  @Nullable String unavailableReason();

  /**
   * Starts a session (from a warm pool when the backend keeps one).
   *
   * @throws SandboxException when no session could be started
   */
  SandboxSession start(SessionSpec spec) throws SandboxException;

  /** Stops every session and pooled sandbox this backend started. */
  @Override
  void close();
}
