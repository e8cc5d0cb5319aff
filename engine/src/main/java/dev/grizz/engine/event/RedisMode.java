package dev.grizz.engine.event;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
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
 * Whether Redis is answering. A command that finds it unreachable marks it down at once (an error
 * reply does not); a ping every {@link #PROBE} brings it back. While it is down the event log and
 * job queue run on PostgreSQL (degraded mode), and readiness says so without taking the pod out of
 * service.
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

  /**
   * Reports a failed Redis command. Only a failure that says Redis cannot be reached (see {@link
   * #unreachable}) switches the pod to PostgreSQL; an error reply means Redis answered, and the
   * caller falls back for that one command. Switching on error replies let any client whose input
   * reached a command (a cursor Redis refused) push the pod into degraded mode at will.
   */
  void redisFailed(RuntimeException cause) {
    // A command cut short by its own thread's interrupt (a socket closing, a subscription
    // replaced, shutdown) says nothing about Redis: switching the pod to PostgreSQL for it would
    // make every client disconnect a failover.
    if (cause instanceof io.lettuce.core.RedisCommandInterruptedException
        || Thread.currentThread().isInterrupted()) {
      return;
    }
    if (!unreachable(cause)) {
      log.warn("a Redis command failed, Redis still answers: {}", cause.toString());
      return;
    }
    markDown(cause);
  }

  private void markDown(RuntimeException cause) {
    if (up) {
      epoch.incrementAndGet();
      up = false;
      lastSwitch = clock.instant();
      log.warn(
          "Redis unreachable ({}); events and jobs now go through PostgreSQL", cause.getMessage());
    }
  }

  /**
   * Whether {@code failure} says Redis cannot serve commands now: no connection (refused, closed,
   * rejected while reconnecting), a timeout, an I/O error, or the two replies with which Redis
   * refuses every command for a while (LOADING its data, BUSY running a script). Any other error
   * reply (ERR, WRONGTYPE, NOGROUP, OOM…) came from a Redis that answers, and a failure that is no
   * Redis exception at all is a bug or bad input on our side.
   */
  static boolean unreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RedisLoadingException
          || (t instanceof RedisBusyException
              && String.valueOf(t.getMessage()).startsWith("BUSY "))) {
        return true;
      }
      if (t instanceof RedisCommandExecutionException) {
        return false;
      }
      if (t instanceof RedisException || t instanceof java.io.IOException) {
        // RedisConnectionException, RedisCommandTimeoutException, or Lettuce's "not connected"
        return true;
      }
    }
    return false;
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
        // Any failure of the probe's own PING, error replies included, means Redis cannot serve.
        if (running && !Thread.currentThread().isInterrupted()) {
          markDown(e);
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
