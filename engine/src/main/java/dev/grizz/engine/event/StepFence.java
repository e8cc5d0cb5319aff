package dev.grizz.engine.event;

import java.util.UUID;

/**
 * One attempt's right to write its step's events. The fencing token is the attempt number its claim
 * took: a restart raises the step's fence to its own attempt (in PostgreSQL and Redis) before it
 * writes, and from then on every append of an earlier attempt is refused, so a worker that lost its
 * lease while it kept running (stalled, or cut off from the database) cannot interleave its events
 * with the attempt that took the step over. Made by {@link EventLog#fence}; one per attempt, used
 * by the threads that run it one after another.
 */
public final class StepFence {

  private final UUID conversationId;
  private final UUID stepId;
  private final int attempt;
  private final long confirmationNanos;
  // The Redis epoch (RedisMode#epoch) at which this attempt last knew it held the fence: a Redis
  // this pod lost sight of since may have missed a takeover, so its fence is checked again.
  private volatile long confirmedEpoch;
  // Until when an append may set Redis's fence to this attempt when Redis has none or a lower one
  // (a first append, or one after Redis lost its keys): only shortly after PostgreSQL (or the claim
  // itself) said the attempt holds the fence, never on Redis's word alone.
  private volatile long raiseUntilNanos;
  private volatile boolean raising;
  private volatile boolean lost;

  StepFence(UUID conversationId, UUID stepId, int attempt, long epoch, long confirmationNanos) {
    this.conversationId = conversationId;
    this.stepId = stepId;
    this.attempt = attempt;
    this.confirmationNanos = confirmationNanos;
    confirmed(epoch);
  }

  public UUID conversationId() {
    return conversationId;
  }

  public UUID stepId() {
    return stepId;
  }

  public int attempt() {
    return attempt;
  }

  /** True once a later attempt holds the step: nothing this attempt appends is written. */
  public boolean lost() {
    return lost;
  }

  void lose() {
    lost = true;
  }

  long confirmedEpoch() {
    return confirmedEpoch;
  }

  void confirmed(long epoch) {
    confirmedEpoch = epoch;
    raiseUntilNanos = System.nanoTime() + confirmationNanos;
    raising = true;
  }

  boolean mayRaise() {
    return raising && System.nanoTime() - raiseUntilNanos < 0;
  }

  /** Redis's fence is this attempt's now; later appends only check it. */
  void raised() {
    raising = false;
  }

  /** Redis's fence key for a step. */
  static String redisKey(UUID stepId) {
    return "grizz:fence:" + stepId;
  }
}
