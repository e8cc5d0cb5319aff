package dev.grizz.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.TestServers;
import dev.grizz.engine.config.DatabaseTarget;
import dev.grizz.engine.config.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The scheduled backup, run directly rather than by its timer, against a real PostgreSQL and a real
 * S3-compatible server (S3Mock, see {@link S3MockServer}): dumps and checksums locally and in the
 * bucket, retention on both sides, one pod at a time, and a restore from the downloaded copy.
 */
@EnabledIf("dev.grizz.engine.backup.BackupIT#clientToolsInstalled")
class BackupScheduleIT {

  private static final Secret NO_PASSWORD = Secret.of(null, null, "grizz.db.password-file");

  private static final String BUCKET = "grizz-backups";
  private static S3MockServer s3;

  @TempDir Path dir;

  @BeforeAll
  static void startS3() throws Exception {
    Assumptions.assumeTrue(
        S3MockServer.available(),
        "S3Mock's jar is missing: run through Maven (it copies it to " + S3MockServer.JAR + ")");
    s3 = S3MockServer.start(BUCKET);
    // The job takes credentials from the SDK's default chain, whose first source is these.
    System.setProperty("aws.accessKeyId", "test-key");
    System.setProperty("aws.secretAccessKey", "test-secret");
  }

  @AfterAll
  static void stopS3() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (s3 != null) {
      s3.close();
    }
  }

  /** A clock the test moves: each run is a day after the last. */
  static final class SteppedClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-20T03:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(now, zone);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static BackupSettings settings(Path dir, int keep, String endpoint, int s3Keep) {
    return new BackupSettings(
        dir.toString(),
        "0 0 3 * * *",
        "UTC",
        keep,
        BUCKET,
        "nightly/",
        endpoint,
        "us-east-1",
        null,
        s3Keep);
  }

  private static BackupJob job(
      TestServers.Database db, BackupSettings settings, SimpleMeterRegistry meters, Clock clock) {
    DriverManagerDataSource dataSource = new DriverManagerDataSource(db.url(), db.username(), "");
    DatabaseTarget target = new DatabaseTarget(db.url(), db.username(), NO_PASSWORD, "test", null);
    return new BackupJob(settings, dataSource, target, meters, clock);
  }

  private static TestServers.Database sourceWithRows() throws Exception {
    TestServers.Database source = TestServers.newDatabase();
    Flyway.configure().dataSource(source.url(), source.username(), "").load().migrate();
    addTask(source, "first");
    return source;
  }

  private static void addTask(TestServers.Database db, String title) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      UUID task = UUID.randomUUID();
      s.execute(
          "insert into tasks (id, user_id, status, title, created_at, updated_at) values ('"
              + task
              + "', '00000000-0000-7000-8000-000000000001', 'active', '"
              + title
              + "', now(), now())");
      s.execute(
          "insert into steps (id, task_id, type, status, usage_cents, created_at, updated_at, metadata) values ('"
              + UUID.randomUUID()
              + "', '"
              + task
              + "', 'llm', 'completed', 0.000495, now(), now(), '{\"model\": \"m\"}')");
    }
  }

  private static List<String> bucketKeys() {
    try (S3Client client =
        S3Client.builder()
            .endpointOverride(s3.endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
            .build()) {
      return client.listObjectsV2Paginator(list -> list.bucket(BUCKET)).contents().stream()
          .map(S3Object::key)
          .sorted()
          .toList();
    }
  }

  private List<String> localFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void backsUpLocallyAndToS3KeepsTheNewestAndRestoresFromTheDownloadedCopy() throws Exception {
    TestServers.Database source = sourceWithRows();
    SteppedClock clock = new SteppedClock();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    BackupJob job = job(source, settings(dir, 2, s3.endpoint().toString(), 2), meters, clock);

    List<String> keys = new ArrayList<>();
    for (int night = 0; night < 3; night++) {
      addTask(source, "night " + night);
      BackupJob.Outcome outcome = job.run(clock.instant());
      assertThat(outcome).isInstanceOf(BackupJob.Outcome.Done.class);
      BackupJob.Outcome.Done done = (BackupJob.Outcome.Done) outcome;
      assertThat(done.bytes()).isPositive();
      assertThat(Dumps.sha256(done.dump()))
          .isEqualTo(Files.readString(Dumps.checksumOf(done.dump())).split("\\s+")[0]);
      keys.add(done.s3Key());
      clock.advance(Duration.ofDays(1));
    }

    assertThat(keys)
        .containsExactly(
            "nightly/grizz-20261120-030000.dump",
            "nightly/grizz-20261121-030000.dump",
            "nightly/grizz-20261122-030000.dump");
    assertThat(localFiles())
        .containsExactly(
            "grizz-20261121-030000.dump",
            "grizz-20261121-030000.dump.sha256",
            "grizz-20261122-030000.dump",
            "grizz-20261122-030000.dump.sha256");
    assertThat(bucketKeys())
        .containsExactly(
            "nightly/grizz-20261121-030000.dump",
            "nightly/grizz-20261121-030000.dump.sha256",
            "nightly/grizz-20261122-030000.dump",
            "nightly/grizz-20261122-030000.dump.sha256");
    assertThat(meters.get("grizz.backup.runs").tag("outcome", "success").counter().count())
        .isEqualTo(3);
    assertThat(meters.get("grizz.backup.last.success").gauge().value())
        .isEqualTo(Instant.parse("2026-11-22T03:00:00Z").getEpochSecond());

    TestServers.Database restored = TestServers.newDatabase();
    Map<String, String> env = new HashMap<>(BackupIT.env(restored));
    env.put("GRIZZ_BACKUP_S3_ENDPOINT", s3.endpoint().toString());
    int exit =
        BackupCommand.run(new String[] {"restore", "s3://" + BUCKET + "/" + keys.getLast()}, env);

    assertThat(exit).isZero();
    assertThat(BackupIT.fingerprint(restored))
        .isEqualTo(BackupIT.fingerprint(source))
        .containsKey("tasks");
  }

  @Test
  void theEmbeddedDatabaseIsBackedUpToo() throws Exception {
    Path data = Files.createTempDirectory("grizz-backup-embedded");
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).start()) {
      String url = pg.getJdbcUrl("postgres", "postgres");
      BackupSettings local =
          new BackupSettings(
              dir.toString(), "0 0 3 * * *", "UTC", 1, null, "grizz/", null, "us-east-1", null, 1);
      BackupJob job =
          new BackupJob(
              local,
              new DriverManagerDataSource(url, "postgres", ""),
              new DatabaseTarget(url, "postgres", NO_PASSWORD, "embedded", null),
              new SimpleMeterRegistry(),
              new SteppedClock());

      assertThat(job.run(Instant.EPOCH)).isInstanceOf(BackupJob.Outcome.Done.class);
      assertThat(localFiles()).hasSize(2);
    }
  }

  @Test
  void onlyThePodHoldingTheLockBacksUp() throws Exception {
    TestServers.Database source = sourceWithRows();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    BackupJob job =
        job(source, settings(dir, 2, s3.endpoint().toString(), 2), meters, new SteppedClock());

    try (Connection otherPod = source.connect();
        Statement s = otherPod.createStatement()) {
      s.execute("select pg_advisory_lock(" + BackupJob.LOCK_KEY + ")");

      assertThat(job.run(Instant.EPOCH)).isInstanceOf(BackupJob.Outcome.Skipped.class);
    }
    assertThat(localFiles()).isEmpty();
    assertThat(meters.get("grizz.backup.runs").tag("outcome", "success").counter().count())
        .isZero();
  }

  @Test
  void aFailedUploadCountsAsAFailedRun() throws Exception {
    TestServers.Database source = sourceWithRows();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    String nobody = "http://127.0.0.1:" + TestServers.freePort();
    BackupJob job = job(source, settings(dir, 2, nobody, 2), meters, new SteppedClock());

    BackupJob.Outcome outcome = job.run(Instant.EPOCH);

    assertThat(outcome).isInstanceOf(BackupJob.Outcome.Failed.class);
    assertThat(meters.get("grizz.backup.runs").tag("outcome", "failure").counter().count())
        .isEqualTo(1);
    assertThat(localFiles()).hasSize(2);
  }
}
