package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.EngineIT;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The event log's fencing of a step's attempts, store by store: once a later attempt holds the
 * step, an earlier one's appends are refused by Redis, by PostgreSQL, and by Redis that lost its
 * fence or was out of sight when the takeover happened.
 */
@EngineIT
class StepFencesIT {

  @Autowired EventLog log;
  @Autowired PostgresEventBackend postgres;
  @Autowired SharedRedis redis;
  @Autowired RedisMode mode;
  @Autowired EventCodec codec;

  private final UUID conversation = UUID.randomUUID();
  private final UUID step = UUID.randomUUID();

  private ChatEvent event(StepFence fence, long seq) {
    return new ChatEvent(
        conversation,
        conversation,
        fence.stepId(),
        seq,
        fence.attempt(),
        Instant.now(),
        new EventData.MessageDelta(" " + seq));
  }

  private List<Integer> seqsInTheLog() {
    return log.readAfter(conversation, null, 100).stream()
        .map(e -> codec.decode(e))
        .map(d -> (int) d.seq())
        .toList();
  }

  @Test
  void anEarlierAttemptAppendsNothingOnceALaterOneTookTheStep() {
    StepFence first = log.fence(conversation, step, 1);
    assertThat(log.append(event(first, 1), first)).isPresent();
    assertThat(log.append(event(first, 2), first)).isPresent();

    StepFence second = log.fence(conversation, step, 2);
    assertThat(log.lastSeq(conversation, step)).isEqualTo(2);

    assertThat(log.append(event(first, 3), first)).isEmpty();
    assertThat(first.lost()).isTrue();
    assertThat(log.append(event(second, 3), second)).isPresent();
    assertThat(log.append(event(first, 4), first)).isEmpty();
    assertThat(seqsInTheLog()).containsExactly(1, 2, 3);
    assertThat(second.lost()).isFalse();
  }

  @Test
  void aRestartThatFindsALaterAttemptAlreadyThereIsFencedOutAtOnce() {
    log.fence(conversation, step, 3);

    StepFence late = log.fence(conversation, step, 2);

    assertThat(late.lost()).isTrue();
    assertThat(log.append(event(late, 1), late)).isEmpty();
  }

  @Test
  void whenRedisLostTheFencePostgresStillRefusesTheEarlierAttempt() {
    StepFence first = log.fence(conversation, step, 1);
    assertThat(log.append(event(first, 1), first)).isPresent();
    StepFence second = log.fence(conversation, step, 2);
    assertThat(log.append(event(second, 2), second)).isPresent();

    // As after a Redis restart without persistence.
    redis.sync().del(StepFence.redisKey(step));

    assertThat(log.append(event(first, 3), first)).isEmpty();
    assertThat(log.append(event(second, 3), second)).isPresent();
    assertThat(redis.sync().get(StepFence.redisKey(step))).isEqualTo("2");
    assertThat(seqsInTheLog()).containsExactly(1, 2, 3);
  }

  @Test
  void aPodThatLostSightOfRedisAsksPostgresBeforeTrustingRedisAgain() {
    StepFence first = log.fence(conversation, step, 1);
    assertThat(log.append(event(first, 1), first)).isPresent();
    // A takeover that reached PostgreSQL but not Redis: Redis still says attempt 1.
    assertThat(postgres.raiseFence(conversation, step, 2, Instant.now().plusSeconds(60))).isTrue();
    mode.redisFailed(new io.lettuce.core.RedisConnectionException("a test's Redis blip"));
    await().atMost(Duration.ofSeconds(10)).until(mode::redisUp);

    assertThat(log.append(event(first, 2), first)).isEmpty();
    assertThat(seqsInTheLog()).containsExactly(1);
  }

  @Test
  void postgresRefusesAnEarlierAttemptsAppendInTheSameStatement() {
    StepFence first = log.fence(conversation, step, 1);
    StepFence second = new StepFence(conversation, step, 2, mode.epoch(), 0);
    assertThat(postgres.raiseFence(conversation, step, 2, Instant.now().plusSeconds(60))).isTrue();

    assertThat(postgres.append(conversation, codec.encode(event(first, 1)), null, first)).isNull();
    assertThat(postgres.append(conversation, codec.encode(event(second, 1)), null, second))
        .isNotNull();
    assertThat(postgres.raiseFence(conversation, step, 1, Instant.now().plusSeconds(60)))
        .as("a fence is never lowered")
        .isFalse();
    assertThat(postgres.fenceHolds(step, 2)).isTrue();
    assertThat(postgres.fenceHolds(step, 1)).isFalse();
  }

  @Test
  void aRestartNumbersOnFromTheHighestSeqInEitherStore() {
    StepFence first = log.fence(conversation, step, 1);
    log.append(event(first, 1), first);
    log.append(event(first, 2), first);
    // Written by a pod that saw Redis down; this pod never did, yet the restart must count it.
    postgres.append(conversation, codec.encode(event(first, 3)), null, first);

    assertThat(log.lastSeq(conversation, step)).isEqualTo(3);
  }
}
