package dev.grizz.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.config.SettingException;
import org.junit.jupiter.api.Test;

class BackupSettingsTests {

  private static BackupSettings with(
      String dir,
      String schedule,
      String zone,
      int keep,
      String bucket,
      String endpoint,
      int s3Keep) {
    return new BackupSettings(
        dir, schedule, zone, keep, bucket, "grizz/", endpoint, "us-east-1", null, s3Keep);
  }

  @Test
  void theDefaultsScheduleNothing() {
    BackupSettings defaults = BackupSettings.defaults();

    assertThat(defaults.enabled()).isFalse();
    assertThat(defaults.s3Enabled()).isFalse();
    assertThat(defaults.cron().toString()).isEqualTo("0 0 3 * * *");
    assertThat(defaults.keep()).isEqualTo(7);
    assertThat(defaults.s3Keep()).isEqualTo(30);
    assertThat(defaults.pathStyle()).isFalse();
  }

  @Test
  void aCustomEndpointUsesPathStyleUnlessToldOtherwise() {
    BackupSettings settings = with("/b", "0 0 3 * * *", "UTC", 7, "b", "http://minio:9000", 30);

    assertThat(settings.pathStyle()).isTrue();
    assertThat(settings.s3Enabled()).isTrue();
  }

  @Test
  void aBadCronExpressionNamesTheSchedule() {
    assertThatThrownBy(() -> with("/b", "at three", "UTC", 7, "", "", 30))
        .isInstanceOfSatisfying(
            SettingException.class,
            e -> assertThat(e.property()).isEqualTo("grizz.backup.schedule"))
        .hasMessageContaining("at three");
  }

  @Test
  void keepingFewerThanOneIsRefused() {
    assertThatThrownBy(() -> with("/b", "0 0 3 * * *", "UTC", 0, "", "", 30))
        .isInstanceOfSatisfying(
            SettingException.class, e -> assertThat(e.property()).isEqualTo("grizz.backup.keep"));
    assertThatThrownBy(() -> with("/b", "0 0 3 * * *", "UTC", 7, "b", "", 0))
        .isInstanceOfSatisfying(
            SettingException.class,
            e -> assertThat(e.property()).isEqualTo("grizz.backup.s3-keep"));
  }

  @Test
  void anUnknownZoneABadEndpointOrABucketWithoutADirectoryAreRefused() {
    assertThatThrownBy(() -> with("/b", "0 0 3 * * *", "Mars/Olympus", 7, "", "", 30))
        .isInstanceOfSatisfying(
            SettingException.class, e -> assertThat(e.property()).isEqualTo("grizz.backup.zone"));
    assertThatThrownBy(() -> with("/b", "0 0 3 * * *", "UTC", 7, "b", "minio:9000", 30))
        .isInstanceOfSatisfying(
            SettingException.class,
            e -> assertThat(e.property()).isEqualTo("grizz.backup.s3-endpoint"));
    assertThatThrownBy(() -> with("", "0 0 3 * * *", "UTC", 7, "b", "", 30))
        .isInstanceOfSatisfying(
            SettingException.class, e -> assertThat(e.property()).isEqualTo("grizz.backup.dir"));
  }
}
