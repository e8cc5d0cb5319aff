package dev.grizz.engine.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Whether Redis is answering. A failed command marks it down at once; a ping every {@link #PROBE}
 * brings it back. While it is down the event log and job queue run on PostgreSQL (degraded mode),
 * and readiness says so without taking the pod out of service.
 */
@Component("events")
class RedisMode implements HealthIndicator, DisposableBean {

  static final Duration PROBE = Duration.ofMillis(500);
  static final Status DEGRADED =
      new Status("DEGRADED", "Redis is unreachable; running on PostgreSQL");
  private static final Logger log = LoggerFactory.getLogger(RedisMode.class);

  private final @Nullable SharedRedis connection;
  private final Clock clock;
  private volatile boolean up;
  private volatile @Nullable Instant lastSwitch;
  private final java.util.concurrent.atomic.AtomicLong epoch =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean running = true;
  private final @Nullable Thread prober;

  RedisMode(
      ObjectProvider<SharedRedis> connection,
      Clock clock,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this.connection = connection.getIfAvailable();
    this.clock = clock;
    this.up = this.connection != null;
    this.prober =
        this.connection == null
            ? null
            : Thread.ofPlatform().daemon().name("redis-probe").start(this::probeLoop);
    io.micrometer.core.instrument.Gauge.builder(
            "grizz.event.log.degraded", this, mode -> mode.configured() && !mode.redisUp() ? 1 : 0)
        .description("1 while Redis is configured but unreachable and PostgreSQL carries events")
        .register(meters);
  }

  boolean configured() {
    return connection != null;
  }

  boolean redisUp() {
    return up;
  }

  @Nullable Instant lastSwitch() {
    return lastSwitch;
  }

  /**
   * A number that changes whenever this pod loses or regains Redis: what Redis held while it was
   * out of sight (a fence, say) may be stale, so a caller that remembers the epoch knows to check.
   */
  long epoch() {
    return epoch.get();
  }

  void redisFailed(RuntimeException cause) {
    // A command cut short by its own thread's interrupt (a socket closing, a subscription
    // replaced, shutdown) says nothing about Redis: switching the pod to PostgreSQL for it would
    // make every client disconnect a failover.
    if (cause instanceof io.lettuce.core.RedisCommandInterruptedException
        || Thread.currentThread().isInterrupted()) {
      return;
    }
    if (up) {
      epoch.incrementAndGet();
      up = false;
      lastSwitch = clock.instant();
      log.warn(
          "Redis unreachable ({}); events and jobs now go through PostgreSQL", cause.getMessage());
    }
  }

  private void probeLoop() {
    while (running) {
      try {
        Thread.sleep(PROBE);
        connection.sync().ping();
        if (!up) {
          // The epoch first: whoever sees Redis up again also sees that it was away.
          epoch.incrementAndGet();
          up = true;
          lastSwitch = clock.instant();
          log.warn("Redis is back; events and jobs go through Redis again");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (running) {
          redisFailed(e);
        }
      }
    }
  }

  @Override
  public Health health() {
    if (connection == null) {
      return Health.up().withDetail("mode", "postgres").build();
    }
    return up
        ? Health.up().withDetail("mode", "redis").build()
        : Health.status(DEGRADED).withDetail("mode", "postgres").build();
  }

  @Override
  public void destroy() {
    running = false;
    if (prober != null) {
      prober.interrupt();
    }
  }
}
