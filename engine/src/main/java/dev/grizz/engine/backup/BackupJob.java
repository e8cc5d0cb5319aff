package dev.grizz.engine.backup;

import dev.grizz.engine.config.DatabaseTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * The nightly backup: at each scheduled time one pod (the one that gets a PostgreSQL advisory lock)
 * writes a dump, prunes old local dumps, and copies the dump to S3 when a bucket is configured.
 *
 * <p>Every pod runs the timer; the lock decides. The winner holds the lock for {@link #LOCK_HOLD}
 * past the scheduled time even when the dump is quicker, so that a pod whose clock runs a little
 * late finds it taken instead of taking a second backup.
 */
@Component
class BackupJob {

  /** The advisory lock's key: "grizzbkp" in ASCII, so it reads as what it is in pg_locks. */
  static final long LOCK_KEY = 0x6772697a7a626b70L;

  static final Duration LOCK_HOLD = Duration.ofMinutes(5);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(BackupJob.class);

  /** What one run did. */
  sealed interface Outcome {
    /** A dump was written (and copied, when {@code s3Key} is set). */
    record Done(Path dump, long bytes, Duration took, @Nullable String s3Key) implements Outcome {}

    /** Another pod holds the lock: it takes this backup. */
    record Skipped() implements Outcome {}

    record Failed(String reason) implements Outcome {}
  }

  private final BackupSettings settings;
  private final DataSource dataSource;
  private final Dumps.Target target;
  private final Clock clock;
  private final Counter successes;
  private final Counter failures;
  private volatile double lastSuccess;
  private volatile @Nullable Thread timer;

  BackupJob(
      BackupSettings settings,
      DataSource dataSource,
      DatabaseTarget database,
      MeterRegistry meters,
      Clock clock) {
    this.settings = settings;
    this.dataSource = dataSource;
    this.target = Dumps.Target.of(database.jdbcUrl(), database.username(), database.password());
    this.clock = clock;
    this.successes = runs(meters, "success");
    this.failures = runs(meters, "failure");
    // Not configured: NaN, so "no backup for 26 h" never fires. Configured: the newest dump in the
    // directory, or this start when there is none, so a fresh install is not overdue at once.
    this.lastSuccess =
        settings.enabled()
            ? newestDump(settings).orElse(clock.instant()).getEpochSecond()
            : Double.NaN;
    Gauge.builder("grizz.backup.last.success", this, job -> job.lastSuccess)
        .baseUnit("seconds")
        .description("When this pod last saw a successful backup (Unix time)")
        .register(meters);
  }

  private static Counter runs(MeterRegistry meters, String outcome) {
    return Counter.builder("grizz.backup.runs")
        .description("Scheduled backup runs on this pod, by outcome")
        .tag("outcome", outcome)
        .register(meters);
  }

  @EventListener(ApplicationReadyEvent.class)
  void start() {
    if (!settings.enabled()) {
      return;
    }
    log.info(
        "backups: '{}' ({}) to {}, keeping {}{}{}",
        settings.schedule(),
        settings.zone(),
        settings.directory(),
        settings.keep(),
        settings.s3Enabled()
            ? ", copied to s3://" + settings.s3Bucket() + "/" + settings.s3Prefix()
            : "",
        settings.s3Enabled() ? " keeping " + settings.s3Keep() : "");
    if (!Dumps.clientToolsInstalled()) {
      log.warn("backups: pg_dump is not on the PATH; every scheduled backup will fail until it is");
    }
    CronExpression cron = settings.cron();
    timer = Thread.ofVirtual().name("backup").start(() -> loop(cron));
  }

  @PreDestroy
  void stop() {
    Thread running = timer;
    if (running != null) {
      running.interrupt();
      // Waits for the lock to be released while the connection pool is still open.
      try {
        running.join(STOP_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop(CronExpression cron) {
    while (!Thread.currentThread().isInterrupted()) {
      ZonedDateTime next = cron.next(ZonedDateTime.now(clock.withZone(settings.zoneId())));
      if (next == null) {
        return;
      }
      try {
        sleepUntil(next.toInstant());
        // Held no later than the next scheduled run, so a frequent schedule still runs each time.
        Instant holdUntil = next.toInstant().plus(LOCK_HOLD);
        ZonedDateTime following = cron.next(next);
        run(
            following != null && following.toInstant().isBefore(holdUntil)
                ? following.toInstant().minusSeconds(1)
                : holdUntil);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("backup timer: {}", e.getMessage());
      }
    }
  }

  /** A deadline loop: the clock is read again after each sleep, which may end early. */
  private void sleepUntil(Instant deadline) throws InterruptedException {
    for (Duration left = Duration.between(clock.instant(), deadline);
        left.isPositive();
        left = Duration.between(clock.instant(), deadline)) {
      Thread.sleep(left);
    }
  }

  /** Runs one backup now if this pod gets the lock; holds the lock until {@code holdUntil}. */
  Outcome run(Instant holdUntil) throws InterruptedException {
    try (Connection connection = dataSource.getConnection()) {
      JdbcClient session = JdbcClient.create(new SingleConnectionDataSource(connection, true));
      Boolean locked =
          session
              .sql("select pg_try_advisory_lock(?)")
              .param(LOCK_KEY)
              .query(Boolean.class)
              .single();
      if (!Boolean.TRUE.equals(locked)) {
        newestDump(settings).ifPresent(this::sawSuccess);
        return new Outcome.Skipped();
      }
      try {
        Outcome outcome = backup();
        sleepUntil(holdUntil);
        return outcome;
      } finally {
        session.sql("select pg_advisory_unlock(?)").param(LOCK_KEY).query(Boolean.class).single();
      }
    } catch (SQLException | RuntimeException e) {
      return failed(System.nanoTime(), "cannot take the backup lock: " + e.getMessage());
    }
  }

  private Outcome backup() throws InterruptedException {
    Instant start = clock.instant();
    long started = System.nanoTime();
    try {
      Path dump = Dumps.write(target, settings.directory(), clock);
      long bytes = Files.size(dump);
      Dumps.prune(settings.directory(), settings.keep());
      String key = settings.s3Enabled() ? copyOffSite(dump) : null;
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      log.info(
          "backup: {} ({} bytes) in {} ms, {}",
          dump,
          bytes,
          took.toMillis(),
          key == null ? "no off-site copy" : "copied to s3://" + settings.s3Bucket() + "/" + key);
      successes.increment();
      sawSuccess(start);
      return new Outcome.Done(dump, bytes, took, key);
    } catch (IOException | RuntimeException e) {
      return failed(started, e.getMessage());
    }
  }

  private String copyOffSite(Path dump) {
    String bucket = Objects.requireNonNull(settings.s3Bucket());
    try (S3Copies s3 =
        S3Copies.connect(settings.endpoint(), settings.s3Region(), settings.pathStyle())) {
      String key = s3.upload(bucket, settings.s3Prefix(), dump);
      List<String> pruned = s3.prune(bucket, settings.s3Prefix(), settings.s3Keep());
      if (!pruned.isEmpty()) {
        log.debug("backup: deleted {} old copies from s3://{}", pruned.size(), bucket);
      }
      return key;
    }
  }

  private Outcome failed(long startedNanos, @Nullable String reason) {
    String why = reason == null ? "unknown error" : reason.strip().replaceAll("\\s+", " ");
    log.warn(
        "backup failed after {} ms: {}",
        Duration.ofNanos(System.nanoTime() - startedNanos).toMillis(),
        why);
    failures.increment();
    return new Outcome.Failed(why);
  }

  private void sawSuccess(Instant at) {
    lastSuccess = Math.max(Double.isNaN(lastSuccess) ? 0 : lastSuccess, at.getEpochSecond());
  }

  private static Optional<Instant> newestDump(BackupSettings settings) {
    try {
      List<Path> dumps = Dumps.list(settings.directory());
      return dumps.isEmpty()
          ? Optional.empty()
          : Dumps.takenAt(dumps.getLast().getFileName().toString());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
