package dev.grizz.engine.llm;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-way switch that asks a running completion to stop. Providers poll {@link #isCancelled()},
 * wait on {@link #await(Duration)}, or register {@link #onCancel(Runnable)} to close their HTTP
 * stream so the upstream connection is dropped at once, not merely ignored.
 */
public final class CancelSignal {

  private final CountDownLatch fired = new CountDownLatch(1);
  private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

  public void cancel() {
    if (fired.getCount() == 0) {
      return;
    }
    fired.countDown();
    callbacks.forEach(CancelSignal::runQuietly);
  }

  public boolean isCancelled() {
    return fired.getCount() == 0;
  }

  /** Runs {@code callback} when cancelled (at once if already cancelled). */
  public void onCancel(Runnable callback) {
    callbacks.add(callback);
    if (isCancelled()) {
      runQuietly(callback);
    }
  }

  /** A signal that fires when this one does, and can also be fired on its own. */
  public CancelSignal child() {
    CancelSignal child = new CancelSignal();
    onCancel(child::cancel);
    return child;
  }

  /**
   * Waits up to {@code timeout}; true when cancelled (also when the thread is interrupted, which
   * restores the interrupt flag).
   */
  public boolean await(Duration timeout) {
    try {
      return fired.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private static void runQuietly(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException ignored) {
      // a callback closing an already closed stream must not stop the others
    }
  }
}
