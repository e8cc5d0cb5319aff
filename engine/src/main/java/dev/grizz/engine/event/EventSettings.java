package dev.grizz.engine.event;

import dev.grizz.engine.config.SettingException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long and how much of a conversation's stream is kept, and how jobs are leased.
 *
 * @param maxLength approximate cap on a conversation's Redis stream (XADD MAXLEN ~)
 * @param retention how long a stream is kept after its last step ends
 * @param lease how long a worker owns a job without a heartbeat before another may take it
 * @param workers how many steps one pod runs at once; 0 makes an API-only pod
 */
@ConfigurationProperties("grizz.events")
public record EventSettings(int maxLength, Duration retention, Duration lease, int workers) {

  public EventSettings {
    SettingException.check(
        maxLength >= 100, "grizz.events.max-length", maxLength, "must be at least 100 events");
    SettingException.max("grizz.events.max-length", maxLength, 10_000_000);
    SettingException.notNull("grizz.events.retention", retention);
    SettingException.notNull("grizz.events.lease", lease);
    SettingException.check(
        workers >= 0,
        "grizz.events.workers",
        workers,
        "must be 0 (this pod runs no steps) or more");
    SettingException.max("grizz.events.workers", workers, 100_000);
    if (retention.isNegative() || retention.isZero()) {
      throw new SettingException(
          "grizz.events.retention", "must be a positive duration such as 1h");
    }
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new SettingException("grizz.events.lease", "must be at least 1s");
    }
  }
}
