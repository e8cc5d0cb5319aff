package dev.grizz.engine.chat;

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
    UsageRecord.Outcome outcome =
        switch (attempt.outcome()) {
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
        attempt.usageCents(),
        attempt.usage().estimated(),
        attempt.timeToFirstToken() == null ? null : attempt.timeToFirstToken().toMillis(),
        attempt.total().toMillis(),
        outcome,
        attempt.outcome() instanceof LlmOutcome.Failed failed ? failed.code() : null,
        apiKeyId);
  }
}
