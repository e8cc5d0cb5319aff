package dev.grizz.engine.agent;

import dev.grizz.engine.llm.Attempt;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.usage.UsageRecord;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The usage row an upstream attempt is billed as. */
final class AttemptUsage {

  private AttemptUsage() {}

  static UsageRecord of(
      @Nullable UUID stepId, UUID userId, @Nullable UUID apiKeyId, Attempt attempt) {
    return of(stepId, userId, apiKeyId, attempt, false);
  }

  /**
   * The usage row of an upstream attempt; {@code engineRetry} when it belongs to an attempt of a
   * step that a later attempt took over (whose answer is the one kept): the user is billed nothing
   * for it, and what the provider charged stays in the row for operators.
   */
  static UsageRecord of(
      @Nullable UUID stepId,
      UUID userId,
      @Nullable UUID apiKeyId,
      Attempt attempt,
      boolean engineRetry) {
    UsageRecord.Outcome outcome =
        engineRetry
            ? UsageRecord.Outcome.ENGINE_RETRY
            : switch (attempt.outcome()) {
              case LlmOutcome.Completed done -> UsageRecord.Outcome.COMPLETED;
              case LlmOutcome.Cancelled cancelled -> UsageRecord.Outcome.CANCELLED;
              case LlmOutcome.Failed failed -> UsageRecord.Outcome.FAILED;
            };
    return new UsageRecord(
        stepId,
        userId,
        attempt.provider(),
        attempt.model(),
        attempt.usage().promptTokens(),
        attempt.usage().completionTokens(),
        engineRetry ? java.math.BigDecimal.ZERO : attempt.usageCents(),
        attempt.usageCents(),
        attempt.usage().estimated(),
        attempt.timeToFirstToken() == null ? null : attempt.timeToFirstToken().toMillis(),
        attempt.total().toMillis(),
        outcome,
        attempt.outcome() instanceof LlmOutcome.Failed failed ? failed.code() : null,
        apiKeyId);
  }
}
