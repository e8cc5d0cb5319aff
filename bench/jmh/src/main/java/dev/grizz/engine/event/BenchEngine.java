package dev.grizz.engine.event;

import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A whole engine started in the benchmark's JVM, on a fresh database of the test PostgreSQL and on
 * the test Redis (GRIZZ_TEST_DB_URL / GRIZZ_TEST_REDIS_URL, set by bench/jmh.sh). The benchmarks
 * take the engine's own beans from it rather than building engine classes by hand.
 */
final class BenchEngine {

  private BenchEngine() {}

  static EngineInstance start() {
    EngineInstance engine =
        EngineInstance.start(
            TestServers.database(),
            TestServers.redisUrl(),
            Map.of(
                // No job workers: nothing but the benchmark touches the event log.
                "grizz.events.workers", "0",
                "logging.level.root", "WARN",
                "logging.level.dev.grizz", "WARN",
                "logging.level.grizz", "WARN"));
    String mode = engine.bean(EventLog.class).mode();
    if (!mode.equals("redis")) {
      engine.close();
      throw new IllegalStateException("the event log runs on " + mode + ", not Redis");
    }
    return engine;
  }

  /** A {@code message.delta} as {@code StepEvents.delta} builds it. */
  static ChatEvent delta(UUID conversation, UUID step, long seq, String text) {
    return new ChatEvent(
        conversation,
        conversation,
        step,
        seq,
        1,
        Instant.now(),
        new EventData.MessageDelta(text));
  }

  /**
   * Appends and reads back to back on a scratch conversation for {@code time}, so the append and
   * read paths (engine, Lettuce, Netty) are compiled before a paced benchmark, which alone would
   * run them too few times for the JIT's top tier.
   */
  static void warmUp(EventLog log, Duration time) {
    UUID conversation = UUID.randomUUID();
    UUID step = UUID.randomUUID();
    long end = System.nanoTime() + time.toNanos();
    EventId last = null;
    for (long seq = 1; System.nanoTime() < end; seq++) {
      EventId previous = last;
      last = log.append(delta(conversation, step, seq, " the"));
      if (log.readAfter(conversation, previous, Subscription.BATCH).isEmpty()) {
        throw new IllegalStateException("no event after " + previous);
      }
    }
    log.delete(conversation);
  }
}
