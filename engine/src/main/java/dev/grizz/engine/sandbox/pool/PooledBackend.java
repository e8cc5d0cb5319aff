package dev.grizz.engine.sandbox.pool;

import dev.grizz.engine.sandbox.KernelSession;
import dev.grizz.engine.sandbox.SandboxBackend;
import dev.grizz.engine.sandbox.SandboxException;
import dev.grizz.engine.sandbox.SandboxLimits;
import dev.grizz.engine.sandbox.SandboxSession;
import dev.grizz.engine.sandbox.SessionSpec;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A backend that starts one sandbox per session, with a pool of started ones: {@link #start} takes
 * a pooled sandbox when the session's limits have the pool's {@link SandboxShape} (else starts its
 * own), and opens a {@link KernelSession} on its streams. A subclass says how to start one ({@link
 * #launch}) and calls {@link #fillPool} once its constructor has checked the machine.
 *
 * @param <T> the started sandbox
 */
public abstract class PooledBackend<T extends PooledSandbox> implements SandboxBackend {

  private final SandboxShape poolShape;
  private final WarmPool<T> pool;
  private final Set<T> running = ConcurrentHashMap.newKeySet();
  private final Duration handshakeTimeout;

  /**
   * @param name the backend's name, for the pool's thread and logs
   * @param poolSize how many started sandboxes wait for a session
   * @param poolLimits the limits the pooled ones are started with
   * @param handshakeTimeout how long a session waits for kernel.py's first frame
   */
  // The pool holds a reference to launch(), but calls it only once fillPool() runs, after the
  // subclass's constructor.
  @SuppressWarnings("this-escape")
  protected PooledBackend(
      String name, int poolSize, SandboxLimits poolLimits, Duration handshakeTimeout) {
    this.poolShape = SandboxShape.of(poolLimits);
    this.handshakeTimeout = handshakeTimeout;
    this.pool = new WarmPool<>(name, poolSize, () -> launch(poolLimits, "pool"), T::alive);
  }

  /** Starts one sandbox for these limits ({@code purpose}: the session's id, or "pool"). */
  protected abstract T launch(SandboxLimits limits, String purpose) throws SandboxException;

  /**
   * Why {@link #start} cannot start one now; by default {@link #unavailableReason()}. Null when it
   * can.
   */
  protected @Nullable String startProblem() {
    return unavailableReason();
  }

  /** Starts filling the pool in the background (a subclass's constructor, once it may). */
  protected final void fillPool() {
    pool.fill();
  }

  @Override
  public final SandboxSession start(SessionSpec spec) throws SandboxException {
    String reason = startProblem();
    if (reason != null) {
      throw new SandboxException("the " + name() + " sandbox is unavailable: " + reason);
    }
    T sandbox = SandboxShape.of(spec.limits()).equals(poolShape) ? pool.take() : null;
    if (sandbox == null) {
      sandbox = launch(spec.limits(), spec.id());
    }
    T s = sandbox;
    running.add(s);
    KernelSession.Host host =
        new KernelSession.Host() {
          @Override
          public void kill() {
            s.close();
            running.remove(s);
          }

          @Override
          public @Nullable String deathReason() {
            return s.deathReason();
          }
        };
    return KernelSession.open(
        spec.id(), spec.limits(), s.fromGuest(), s.toGuest(), host, handshakeTimeout);
  }

  /** Sessions started and not yet closed (pooled sandboxes not counted). */
  public int running() {
    running.removeIf(s -> !s.alive());
    return running.size();
  }

  /** Started sandboxes waiting in the pool. */
  public int pooled() {
    return pool.ready();
  }

  @Override
  public void close() {
    pool.close();
    for (T s : running) {
      s.close();
    }
    running.clear();
  }
}
