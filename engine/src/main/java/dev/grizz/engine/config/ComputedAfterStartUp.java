package dev.grizz.engine.config;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A value that costs noticeable CPU to compute (a tokenizer's ranks, a bcrypt hash). Computed
 * beside start-up on a 2-core machine it delayed readiness by as much; so it is computed on its own
 * thread once its owner calls {@link #start()} (when the engine is ready), or at the first {@link
 * #get()} if that comes sooner. A {@code get()} waits for the computation if it must.
 */
public final class ComputedAfterStartUp<T> {

  private final String threadName;
  private final Supplier<T> computation;
  private final CompletableFuture<T> value = new CompletableFuture<>();
  private final AtomicBoolean started = new AtomicBoolean();

  public ComputedAfterStartUp(String threadName, Supplier<T> computation) {
    this.threadName = threadName;
    this.computation = computation;
  }

  public void start() {
    // A plain read first: get() calls this on every token count, and a failing compare-and-set
    // still takes the cache line exclusively.
    if (started.get() || !started.compareAndSet(false, true)) {
      return;
    }
    Thread.ofPlatform()
        .daemon()
        .name(threadName)
        .start(
            () -> {
              try {
                value.complete(computation.get());
              } catch (RuntimeException | Error failed) {
                value.completeExceptionally(failed);
              }
            });
  }

  public T get() {
    if (!value.isDone()) {
      start();
    }
    return value.join();
  }
}
