package dev.grizz.engine.event;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The event log's side of attempt fencing (see {@link StepFence}): raising a restarted step's
 * fence, appending to Redis under it, and reading where a restart numbers on from. PostgreSQL's
 * fence is the one that survives Redis, so Redis's word is taken only while this pod has kept sight
 * of Redis since PostgreSQL (or the claim) last said the attempt holds the step.
 */
final class StepFences {

  private final PostgresEventBackend postgres;
  private final @Nullable RedisEventBackend redis;
  private final EventCodec codec;
  private final RedisMode mode;
  private final Clock clock;
  private final EventSettings settings;

  StepFences(
      PostgresEventBackend postgres,
      @Nullable RedisEventBackend redis,
      EventCodec codec,
      RedisMode mode,
      Clock clock,
      EventSettings settings) {
    this.postgres = postgres;
    this.redis = redis;
    this.codec = codec;
    this.mode = mode;
    this.clock = clock;
    this.settings = settings;
  }

  /** See {@link EventLog#fence}. */
  StepFence take(UUID conversationId, UUID stepId, int attempt) {
    StepFence fence =
        new StepFence(
            conversationId, stepId, attempt, mode.epoch(), settings.lease().dividedBy(2).toNanos());
    if (attempt > 1) {
      if (!postgres.raiseFence(
          conversationId, stepId, attempt, clock.instant().plus(settings.retention()))) {
        fence.lose();
      } else if (redis != null && mode.redisUp()) {
        try {
          if (!redis.raiseFence(stepId, attempt, settings.retention())) {
            fence.lose();
          }
        } catch (RuntimeException e) {
          // The epoch moves on: this attempt asks PostgreSQL before its first Redis append.
          mode.redisFailed(e);
        }
      }
    }
    return fence;
  }

  /**
   * Appends to Redis under the fence, when Redis is up: the new id, or null when the fence is lost
   * (the fence says so) or Redis is not answering (the caller writes to PostgreSQL).
   */
  @Nullable EventId appendToRedis(
      UUID conversationId, String payload, @Nullable EventId floor, StepFence fence) {
    if (redis == null || !mode.redisUp()) {
      return null;
    }
    if (fence.confirmedEpoch() != mode.epoch() && !confirm(fence)) {
      return null;
    }
    FencedAppend appended = tryRedis(conversationId, payload, floor, fence);
    if (appended instanceof FencedAppend.Unconfirmed) {
      // Redis lost the step's fence (a restart, an expiry) or never had it: PostgreSQL says.
      appended = confirm(fence) ? tryRedis(conversationId, payload, floor, fence) : null;
    }
    return switch (appended) {
      case FencedAppend.Appended done -> {
        fence.raised();
        yield done.id();
      }
      case FencedAppend.Lost lost -> {
        fence.lose();
        yield null;
      }
      // Still unconfirmed after PostgreSQL confirmed (a pause outlived the confirmation): the
      // append goes to PostgreSQL, whose check is the one that survives everything.
      case FencedAppend.Unconfirmed unconfirmed -> null;
      case null -> null;
    };
  }

  private @Nullable FencedAppend tryRedis(
      UUID conversationId, String payload, @Nullable EventId floor, StepFence fence) {
    try {
      return redis.append(
          conversationId, payload, floor, fence, fence.mayRaise(), settings.retention());
    } catch (RuntimeException e) {
      mode.redisFailed(e);
      return null;
    }
  }

  /**
   * Asks PostgreSQL whether the attempt still holds its step (no later attempt raised the fence);
   * if so, its next Redis append may set Redis's fence. False marks the fence lost.
   */
  private boolean confirm(StepFence fence) {
    long epoch = mode.epoch();
    if (!postgres.fenceHolds(fence.stepId(), fence.attempt())) {
      fence.lose();
      return false;
    }
    fence.confirmed(epoch);
    return true;
  }

  /** See {@link EventLog#lastSeq}. */
  long lastSeq(UUID conversationId, UUID stepId) {
    long last = lastSeqIn(postgres, conversationId, stepId);
    if (redis != null && mode.redisUp()) {
      try {
        last = Math.max(last, lastSeqIn(redis, conversationId, stepId));
      } catch (RuntimeException e) {
        mode.redisFailed(e);
      }
    }
    return last;
  }

  private long lastSeqIn(EventBackend backend, UUID conversationId, UUID stepId) {
    long last = 0;
    EventId cursor = EventLog.readStartFor(stepId);
    while (true) {
      List<LoggedEvent> page = backend.readAfter(conversationId, cursor, 1000);
      if (page.isEmpty()) {
        return last;
      }
      for (LoggedEvent event : page) {
        ChatEvent decoded = codec.decode(event);
        if (decoded.stepId().equals(stepId)) {
          last = Math.max(last, decoded.seq());
        }
      }
      cursor = page.getLast().id();
    }
  }
}
