package dev.grizz.engine.config;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.UUIDClock;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/** The one source of ids: time-ordered UUIDv7, so ids sort by creation and index well. */
public final class IdGenerator {

  private final TimeBasedEpochGenerator generator;

  public IdGenerator(Clock clock) {
    this.generator =
        Generators.timeBasedEpochGenerator(
            new SecureRandom(),
            new UUIDClock() {
              @Override
              public long currentTimeMillis() {
                return clock.millis();
              }
            });
  }

  public UUID next() {
    return generator.generate();
  }
}
