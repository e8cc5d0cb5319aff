package dev.grizz.engine.event;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How long and how much of a conversation's stream is kept, and how jobs are leased.
 *
 * @param maxLength approximate cap on a conversation's Redis stream (XADD MAXLEN ~)
 * @param retention how long a stream is kept after its last step ends
 * @param lease how long a worker owns a job without a heartbeat before another may take it
 * @param workers how many steps one pod runs at once; 0 makes an API-only pod
 */
@Validated
@ConfigurationProperties("grizz.events")
public record EventSettings(
    @Min(value = 100, message = "must be at least 100 events") @Max(10_000_000) int maxLength,
    @NotNull Duration retention,
    @NotNull Duration lease,
    @Min(value = 0, message = "must be 0 (this pod runs no steps) or more") @Max(100_000)
        int workers) {

  public EventSettings {
    if (retention.isNegative() || retention.isZero()) {
      throw new dev.grizz.engine.config.SettingException(
          "grizz.events.retention", "must be a positive duration such as 1h");
    }
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new dev.grizz.engine.config.SettingException(
          "grizz.events.lease", "must be at least 1s");
    }
  }
}
