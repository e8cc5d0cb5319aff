package dev.grizz.engine.security;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Nonces of signed requests, remembered for as long as a request with them could still be accepted,
 * so a replayed request is refused.
 *
 * <p>PostgreSQL is the only store, whether Redis is up or not. Keeping them in Redis while it was
 * up and in PostgreSQL while it was down let a nonce pass once in each store (used before an
 * outage, replayed during it; or the other way round), and a Redis restarted without persistence
 * forgot them all. One committed insert per signed request is the price (1-3 ms on the 2-core test
 * machine under load, 0.3 ms without the commit's fsync); expired rows are deleted once a minute by
 * every pod, not on every request.
 */
@Service
class Nonces implements DisposableBean {

  static final Duration CLEANUP_EVERY = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(Nonces.class);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final ScheduledExecutorService cleaner =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofVirtual().name("nonce-cleanup").factory());

  Nonces(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** True the first time this key uses this nonce within {@code ttl}; false for a replay. */
  boolean firstUse(UUID keyId, String nonce, Duration ttl) {
    return jdbc.sql(
                """
                insert into request_nonces (key_id, nonce, expires_at) values (:key, :nonce, :expires)
                on conflict do nothing
                """)
            .param("key", keyId)
            .param("nonce", nonce)
            .param("expires", Timestamp.from(clock.instant().plus(ttl)))
            .update()
        == 1;
  }

  /** Deletes the nonces no request could carry any more; returns how many. */
  int deleteExpired() {
    return jdbc.sql("delete from request_nonces where expires_at < :now")
        .param("now", Timestamp.from(clock.instant()))
        .update();
  }

  @EventListener(ApplicationReadyEvent.class)
  void startCleanup() {
    long every = CLEANUP_EVERY.toMillis();
    cleaner.scheduleWithFixedDelay(
        () -> {
          try {
            deleteExpired();
          } catch (RuntimeException e) {
            log.warn("deleting expired nonces failed: {}", e.getMessage());
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void destroy() {
    // No interrupt: one landing in a PostgreSQL read would close a pooled connection's socket.
    cleaner.shutdown();
  }
}
