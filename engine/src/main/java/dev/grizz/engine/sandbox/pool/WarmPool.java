package dev.grizz.engine.sandbox.pool;

import dev.grizz.engine.sandbox.SandboxException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Started sandboxes waiting for a session: {@link #take} hands one over at once (or null when none
 * is ready) and a background thread starts its replacement, so a session's start costs a hand-over
 * instead of a boot. One thread refills, one sandbox at a time, so the pool never competes with
 * itself for the machine's cores.
 *
 * @param <T> a started sandbox (a micro-VM, a gVisor container)
 */
public final class WarmPool<T extends AutoCloseable> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WarmPool.class);

  /** Starts one sandbox for the pool. */
  public interface Factory<T> {
    T start() throws SandboxException;
  }

  private final String name;
  private final int size;
  private final Factory<T> factory;
  private final Predicate<T> usable;
  private final Deque<T> ready = new ArrayDeque<>();
  private boolean closed;
  private int failuresInARow;
  private @Nullable Thread refiller;

  /**
   * @param name for the refill thread's name and logs
   * @param size how many sandboxes to keep ready (0: none, {@link #take} always returns null)
   * @param factory starts one
   * @param usable whether a ready one is still alive when taken (dead ones are closed and skipped)
   */
  public WarmPool(String name, int size, Factory<T> factory, Predicate<T> usable) {
    this.name = name;
    this.size = size;
    this.factory = factory;
    this.usable = usable;
  }

  /** Starts filling the pool in the background. */
  public synchronized void fill() {
    if (size > 0 && !closed && refiller == null) {
      refiller = Thread.ofPlatform().daemon().name(name + "-pool").start(this::refill);
    }
  }

  /** A ready sandbox, or null when none is; a replacement starts in the background. */
  public @Nullable T take() {
    T taken = null;
    synchronized (this) {
      while (!ready.isEmpty() && taken == null) {
        T next = ready.poll();
        if (usable.test(next)) {
          taken = next;
        } else {
          closeQuietly(next);
        }
      }
      notifyAll();
    }
    fill();
    return taken;
  }

  /** How many are ready now. */
  public synchronized int ready() {
    return ready.size();
  }

  private void refill() {
    while (true) {
      synchronized (this) {
        while (!closed && ready.size() >= size) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
      }
      try {
        T started = factory.start();
        failuresInARow = 0;
        synchronized (this) {
          if (closed) {
            closeQuietly(started);
            return;
          }
          ready.add(started);
        }
      } catch (SandboxException e) {
        // A machine that cannot start one now (no image yet, out of memory) must not be hammered:
        // back off up to a minute, and the sessions start their own meanwhile.
        failuresInARow++;
        log.warn("{} pool: could not start a sandbox: {}", name, e.getMessage());
        try {
          Thread.sleep(Math.min(60_000L, 500L << Math.min(7, failuresInARow)));
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Stops the refill and closes every ready sandbox. */
  @Override
  public void close() {
    Thread thread;
    synchronized (this) {
      closed = true;
      thread = refiller;
      ready.forEach(WarmPool::closeQuietly);
      ready.clear();
      notifyAll();
    }
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.debug("closing a pooled sandbox failed", e);
    }
  }
}
