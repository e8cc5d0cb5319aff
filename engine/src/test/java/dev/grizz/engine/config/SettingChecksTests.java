package dev.grizz.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.event.EventSettings;
import dev.grizz.engine.event.RedisSettings;
import dev.grizz.engine.security.AuthSettings;
import dev.grizz.engine.security.RateLimitSettings;
import dev.grizz.engine.security.WebSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The settings records check their own values, with the messages Bean Validation printed for the
 * constraints they replace; start-up puts the variable's name in front (see {@link
 * ConfigurationErrorsIT}).
 */
class SettingChecksTests {

  private static final Path DIR = Path.of("pg");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void aFailedCheckNamesTheProblemAndTheValue() {
    assertThatThrownBy(() -> SettingException.check(false, "grizz.x", null, "must be set"))
        .isInstanceOf(SettingException.class)
        .hasMessage("grizz.x must be set (got 'null')");
    assertThatCode(() -> SettingException.check(true, "grizz.x", null, "must be set"))
        .doesNotThrowAnyException();
  }

  @Test
  void theDatabaseUrlMustBeAPostgresqlJdbcUrl() {
    assertThatThrownBy(
            () -> new DatabaseSettings("mysql://db:3306/grizz", "u", null, null, DIR, 10, null))
        .isInstanceOf(SettingException.class)
        .hasMessage(
            "grizz.db.url must be a JDBC URL such as jdbc:postgresql://host:5432/grizz"
                + " (got 'mysql://db:3306/grizz')");
    // Blank means embedded, as before: the pattern saw the value after normalising.
    assertThatCode(() -> new DatabaseSettings(" ", null, null, null, DIR, 10, null))
        .doesNotThrowAnyException();
  }

  @Test
  void theDatabaseChecksDirectoryAndPoolSize() {
    assertThatThrownBy(() -> new DatabaseSettings(null, null, null, null, null, 10, null))
        .hasMessage("grizz.db.dir must not be null (got 'null')");
    assertThatThrownBy(() -> new DatabaseSettings(null, null, null, null, DIR, 0, null))
        .hasMessage("grizz.db.pool-size must be greater than or equal to 1 (got '0')");
    assertThatThrownBy(() -> new DatabaseSettings(null, null, null, null, DIR, 501, null))
        .hasMessage("grizz.db.pool-size must be less than or equal to 500 (got '501')");
  }

  @Test
  void theDatabaseConnectTimeoutIsBoundedAndDefaultsToAFewSeconds() {
    assertThat(new DatabaseSettings(null, null, null, null, DIR, 10, null).connectTimeout())
        .isEqualTo(DatabaseSettings.DEFAULT_CONNECT_TIMEOUT)
        .isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(
            () -> new DatabaseSettings(null, null, null, null, DIR, 10, Duration.ofMillis(249)))
        .hasMessage(
            "grizz.db.connect-timeout must be a duration from 250ms to 60s, such as 3s"
                + " (got '249ms')");
    assertThatThrownBy(
            () -> new DatabaseSettings(null, null, null, null, DIR, 10, Duration.ofSeconds(61)))
        .hasMessage(
            "grizz.db.connect-timeout must be a duration from 250ms to 60s, such as 3s"
                + " (got '61000ms')");
    assertThatCode(
            () -> new DatabaseSettings(null, null, null, null, DIR, 10, Duration.ofMillis(250)))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> new DatabaseSettings(null, null, null, null, DIR, 10, Duration.ofSeconds(60)))
        .doesNotThrowAnyException();
  }

  @Test
  void theRedisUrlMustBeARedisUrl() {
    assertThatThrownBy(() -> new RedisSettings("localhost:6379", null))
        .isInstanceOf(SettingException.class)
        .hasMessage(
            "grizz.redis.url must be a Redis URL such as redis://localhost:6379"
                + " (got 'localhost:6379')");
    assertThatCode(() -> new RedisSettings("", "")).doesNotThrowAnyException();
    assertThatCode(() -> new RedisSettings("rediss://cache:6380", "grizz:jobs:prod"))
        .doesNotThrowAnyException();
  }

  @Test
  void aPodsDrainsDependOnItsRoleUnlessSet() {
    PodSettings gateway = new PodSettings(PodRole.GATEWAY, null, null);
    assertThat(gateway.streamsDrainDelay()).isEqualTo(PodSettings.GATEWAY_DRAIN_DELAY);
    assertThat(gateway.stepsDrain()).isZero();
    PodSettings worker = new PodSettings(PodRole.WORKER, null, null);
    assertThat(worker.streamsDrainDelay()).isZero();
    assertThat(worker.stepsDrain()).isEqualTo(PodSettings.WORKER_DRAIN);
    PodSettings all = new PodSettings(null, null, null);
    assertThat(all.role()).isEqualTo(PodRole.ALL);
    assertThat(all.streamsDrainDelay()).isZero();
    assertThat(all.stepsDrain()).isZero();
    PodSettings set = new PodSettings(PodRole.GATEWAY, Duration.ZERO, MINUTE);
    assertThat(set.streamsDrainDelay()).isZero();
    assertThat(set.stepsDrain()).isEqualTo(MINUTE);
    assertThatThrownBy(() -> new PodSettings(PodRole.ALL, Duration.ofSeconds(-1), null))
        .hasMessage(
            "grizz.pod.drain-delay must be a duration from 0s to 30m, such as 5s (got '-1000ms')");
    assertThatThrownBy(() -> new PodSettings(PodRole.WORKER, null, Duration.ofHours(1)))
        .hasMessageStartingWith("grizz.pod.worker-drain must be a duration from 0s to 30m");
  }

  @Test
  void eventSettingsAreBounded() {
    assertThatThrownBy(() -> new EventSettings(99, MINUTE, MINUTE, 1))
        .hasMessage("grizz.events.max-length must be at least 100 events (got '99')");
    assertThatThrownBy(() -> new EventSettings(10_000_001, MINUTE, MINUTE, 1))
        .hasMessage(
            "grizz.events.max-length must be less than or equal to 10000000 (got '10000001')");
    assertThatThrownBy(() -> new EventSettings(100, null, MINUTE, 1))
        .hasMessage("grizz.events.retention must not be null (got 'null')");
    assertThatThrownBy(() -> new EventSettings(100, MINUTE, null, 1))
        .hasMessage("grizz.events.lease must not be null (got 'null')");
    assertThatThrownBy(() -> new EventSettings(100, MINUTE, MINUTE, -1))
        .hasMessage("grizz.events.workers must be 0 (this pod runs no steps) or more (got '-1')");
    assertThatThrownBy(() -> new EventSettings(100, MINUTE, MINUTE, 100_001))
        .hasMessage("grizz.events.workers must be less than or equal to 100000 (got '100001')");
    assertThatCode(() -> new EventSettings(100, MINUTE, MINUTE, 0)).doesNotThrowAnyException();
  }

  @Test
  void authLifetimesAreRequired() {
    assertThatThrownBy(
            () -> new AuthSettings(null, null, MINUTE, MINUTE, null, MINUTE, null, null, null))
        .hasMessage("grizz.auth.ticket-ttl must not be null (got 'null')");
  }

  @Test
  void webLimitsAreBounded() {
    assertThatThrownBy(() -> new WebSettings(List.of(), 1023, 32, 1 << 20, 1 << 20))
        .hasMessage("grizz.web.max-body-bytes must be greater than or equal to 1024 (got '1023')");
    assertThatThrownBy(() -> new WebSettings(List.of(), 1024, 1001, 1 << 20, 1 << 20))
        .hasMessage("grizz.web.max-json-depth must be less than or equal to 1000 (got '1001')");
  }

  @Test
  void rateLimitsAreAtLeastOne() {
    assertThatThrownBy(() -> new RateLimitSettings(1, 1, 1, 0))
        .hasMessage("grizz.rate.logins-per-address must be greater than or equal to 1 (got '0')");
  }
}
