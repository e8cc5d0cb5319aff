package dev.grizz.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ComputedAfterStartUpTests {

  private final AtomicInteger computations = new AtomicInteger();

  @Test
  void nothingIsComputedUntilStartedOrAskedFor() throws InterruptedException {
    var value = new ComputedAfterStartUp<>("test-value", computations::incrementAndGet);
    Thread.sleep(50);
    assertThat(computations).hasValue(0);
    assertThat(value.get()).isEqualTo(1);
  }

  @Test
  void startComputesOnItsOwnThreadOnce() throws InterruptedException {
    CountDownLatch computed = new CountDownLatch(1);
    String[] thread = new String[1];
    var value =
        new ComputedAfterStartUp<>(
            "test-value",
            () -> {
              thread[0] = Thread.currentThread().getName();
              computed.countDown();
              return computations.incrementAndGet();
            });
    value.start();
    value.start();
    assertThat(computed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(value.get()).isEqualTo(1);
    assertThat(value.get()).isEqualTo(1);
    assertThat(thread[0]).isEqualTo("test-value");
    assertThat(computations).hasValue(1);
  }

  @Test
  void aFailedComputationFailsEachGet() {
    var value =
        new ComputedAfterStartUp<String>(
            "test-value",
            () -> {
              throw new IllegalStateException("no ranks");
            });
    assertThatThrownBy(value::get)
        .isInstanceOf(CompletionException.class)
        .hasRootCauseMessage("no ranks");
    assertThatThrownBy(value::get).isInstanceOf(CompletionException.class);
  }
}
