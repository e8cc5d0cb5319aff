package dev.grizz.engine.backup;

import dev.grizz.engine.config.SettingException;
import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.scheduling.support.CronExpression;

/**
 * The nightly backup. No {@code dir}: no scheduled backups. Otherwise a dump is written to {@code
 * dir} at each {@code schedule} (a Spring cron expression with seconds, in {@code zone}), the
 * newest {@code keep} are kept there, and with an {@code s3Bucket} each dump is also copied to
 * {@code <s3Prefix><name>} in that bucket, where the newest {@code s3Keep} are kept.
 */
@ConfigurationProperties("grizz.backup")
record BackupSettings(
    @Nullable String dir,
    String schedule,
    String zone,
    int keep,
    @Nullable String s3Bucket,
    String s3Prefix,
    @Nullable String s3Endpoint,
    String s3Region,
    @Nullable Boolean s3PathStyle,
    int s3Keep) {

  static final String DEFAULT_SCHEDULE = "0 0 3 * * *";
  static final String DEFAULT_ZONE = "UTC";
  static final int DEFAULT_KEEP = 7;
  static final String DEFAULT_S3_PREFIX = "grizz/";
  static final int DEFAULT_S3_KEEP = 30;

  BackupSettings {
    dir = blankToNull(dir);
    schedule = schedule == null || schedule.isBlank() ? DEFAULT_SCHEDULE : schedule.strip();
    zone = zone == null || zone.isBlank() ? DEFAULT_ZONE : zone.strip();
    s3Bucket = blankToNull(s3Bucket);
    s3Prefix = s3Prefix == null ? DEFAULT_S3_PREFIX : s3Prefix.strip();
    s3Endpoint = blankToNull(s3Endpoint);
    s3Region = s3Region == null || s3Region.isBlank() ? S3Copies.DEFAULT_REGION : s3Region.strip();
    if (!CronExpression.isValidExpression(schedule)) {
      throw new SettingException(
          "grizz.backup.schedule",
          "is not a cron expression with six fields such as '0 0 3 * * *' (got '"
              + schedule
              + "')");
    }
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new SettingException(
          "grizz.backup.zone",
          "is not a time zone such as UTC or Europe/Paris (got '" + zone + "')");
    }
    if (keep < 1) {
      throw new SettingException("grizz.backup.keep", "must be at least 1 (got " + keep + ")");
    }
    if (s3Keep < 1) {
      throw new SettingException("grizz.backup.s3-keep", "must be at least 1 (got " + s3Keep + ")");
    }
    if (s3Endpoint != null && !s3Endpoint.matches("https?://[^/\\s]+.*")) {
      throw new SettingException(
          "grizz.backup.s3-endpoint",
          "must be an http(s) URL such as https://s3.example.com (got '" + s3Endpoint + "')");
    }
    if (s3Bucket != null && dir == null) {
      throw new SettingException(
          "grizz.backup.dir",
          "is required when GRIZZ_BACKUP_S3_BUCKET is set (each dump is written there first)");
    }
  }

  /** Settings with every default: no scheduled backups. */
  static BackupSettings defaults() {
    return new BackupSettings(
        null,
        DEFAULT_SCHEDULE,
        DEFAULT_ZONE,
        DEFAULT_KEEP,
        null,
        DEFAULT_S3_PREFIX,
        null,
        S3Copies.DEFAULT_REGION,
        null,
        DEFAULT_S3_KEEP);
  }

  boolean enabled() {
    return dir != null;
  }

  boolean s3Enabled() {
    return s3Bucket != null;
  }

  Path directory() {
    if (dir == null) {
      throw new IllegalStateException("scheduled backups are off (no GRIZZ_BACKUP_DIR)");
    }
    return Path.of(dir);
  }

  ZoneId zoneId() {
    return ZoneId.of(zone);
  }

  CronExpression cron() {
    return CronExpression.parse(schedule);
  }

  @Nullable URI endpoint() {
    return s3Endpoint == null ? null : URI.create(s3Endpoint);
  }

  /** Path-style addressing unless set: on by default for a custom endpoint, off for AWS. */
  boolean pathStyle() {
    return s3PathStyle != null ? s3PathStyle : s3Endpoint != null;
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
