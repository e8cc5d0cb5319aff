package dev.grizz.engine.llm;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-way switch that asks a running completion to stop. Providers either poll {@link
 * #isCancelled()} or wait on {@link #await(Duration)}, which wakes at once when cancelled.
 */
public final class CancelSignal {

  private final CountDownLatch fired = new CountDownLatch(1);

  public void cancel() {
    fired.countDown();
  }

  public boolean isCancelled() {
    return fired.getCount() == 0;
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
}
