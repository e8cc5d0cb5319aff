package dev.grizz.engine.event;

import dev.grizz.engine.config.DatabaseTarget;
import dev.grizz.engine.config.IdGenerator;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Jobs in the PostgreSQL {@code jobs} table for the embedded default and degraded mode: a worker
 * takes the oldest free job with {@code FOR UPDATE SKIP LOCKED}, holds it by a lease it renews, and
 * deletes it when done. NOTIFY wakes idle workers at once.
 */
final class PostgresJobBackend implements JobBackend, AutoCloseable {

  static final String CHANNEL = "grizz_jobs";

  private final JdbcClient jdbc;
  private final IdGenerator ids;
  private final Clock clock;
  private final String owner;
  private final Duration lease;
  private final Semaphore wake = new Semaphore(0);
  private final PostgresEventBackend.NotificationListener listener;

  PostgresJobBackend(
      JdbcClient jdbc,
      IdGenerator ids,
      Clock clock,
      DatabaseTarget database,
      String owner,
      Duration lease) {
    this.jdbc = jdbc;
    this.ids = ids;
    this.clock = clock;
    this.owner = owner;
    this.lease = lease;
    this.listener =
        new PostgresEventBackend.NotificationListener(database, CHANNEL, payload -> wake.release());
    listener.ensureStarted();
  }

  @Override
  public void enqueue(Job job) {
    jdbc.sql(
            """
            insert into jobs (id, step_id, conversation_id, payload, created_at)
            values (:id, :step, :conversation, :payload, :at)
            """)
        .param("id", ids.next())
        .param("step", job.stepId())
        .param("conversation", job.conversationId())
        .param("payload", job.traceparent() == null ? "" : job.traceparent())
        .param("at", Timestamp.from(clock.instant()))
        .update();
    jdbc.sql("select pg_notify(:channel, '')").param("channel", CHANNEL).query().singleRow();
  }

  @Override
  public Optional<Claim> take(Duration wait) {
    Optional<Claim> claim = claimOne(false);
    if (claim.isPresent()) {
      return claim;
    }
    try {
      wake.drainPermits();
      wake.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return claimOne(false);
  }

  @Override
  public List<Claim> reclaimStale(Duration lease, int max) {
    List<Claim> claims = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      Optional<Claim> claim = claimOne(true);
      if (claim.isEmpty()) {
        break;
      }
      claims.add(claim.get());
    }
    return claims;
  }

  private Optional<Claim> claimOne(boolean staleOnly) {
    String condition = staleOnly ? "lease_until < now()" : "lease_until is null";
    return jdbc.sql(
            """
            update jobs set owner = :owner, lease_until = now() + make_interval(secs => :lease),
                attempts = attempts + 1
            where id = (select id from jobs where %s
                        order by created_at for update skip locked limit 1)
            returning id, step_id, conversation_id, payload
            """
                .formatted(condition))
        .param("owner", owner)
        .param("lease", lease.toMillis() / 1000.0)
        .query(
            (rs, n) -> {
              String traceparent = rs.getString("payload");
              Job job =
                  new Job(
                      rs.getObject("step_id", UUID.class),
                      rs.getObject("conversation_id", UUID.class),
                      traceparent == null || traceparent.isEmpty() ? null : traceparent);
              return new Claim(job, rs.getObject("id", UUID.class).toString(), this);
            })
        .optional();
  }

  @Override
  public void renew(List<Claim> running) {
    for (Claim claim : running) {
      jdbc.sql(
              """
              update jobs set lease_until = now() + make_interval(secs => :lease)
              where id = :id and owner = :owner
              """)
          .param("lease", lease.toMillis() / 1000.0)
          .param("id", UUID.fromString(claim.handle()))
          .param("owner", owner)
          .update();
    }
  }

  @Override
  public void ack(Claim claim) {
    jdbc.sql("delete from jobs where id = :id")
        .param("id", UUID.fromString(claim.handle()))
        .update();
  }

  @Override
  public void close() {
    listener.close();
  }
}
