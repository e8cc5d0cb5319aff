package dev.grizz.engine.moderation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote moderator with a local one behind it: chat must not fail, or wait on every message,
 * because moderation is down. After a failure the remote one is left alone for {@link #COOL_DOWN}
 * and the local one answers; an outage is logged once at WARN when it starts and once at INFO when
 * it ends, not per message.
 */
final class FallbackModerator implements Moderator {

  static final Duration COOL_DOWN = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(FallbackModerator.class);

  private final Moderator primary;
  private final Moderator fallback;
  private final Clock clock;
  private final String name;
  private volatile Instant retryAt = Instant.MIN;
  private volatile boolean down;

  FallbackModerator(String name, Moderator primary, Moderator fallback, Clock clock) {
    this.name = name;
    this.primary = primary;
    this.fallback = fallback;
    this.clock = clock;
  }

  @Override
  public Map<String, Double> scores(String text) {
    if (clock.instant().isBefore(retryAt)) {
      return fallback.scores(text);
    }
    try {
      Map<String, Double> scores = primary.scores(text);
      if (down) {
        down = false;
        log.info("{} moderation answers again", name);
      }
      return scores;
    } catch (RuntimeException e) {
      retryAt = clock.instant().plus(COOL_DOWN);
      if (!down) {
        down = true;
        log.warn(
            "{} moderation failed ({}); the offline patterns moderate until it answers again",
            name,
            e.toString());
      }
      return fallback.scores(text);
    }
  }

  /** Whether the remote moderator is being skipped (for tests and the start-up summary). */
  boolean isDown() {
    return down;
  }
}
