package dev.grizz.engine.conversation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One node of a task's step graph: a user's input or a model's answer. */
public record Step(
    UUID id,
    UUID taskId,
    @Nullable UUID parentStepId,
    StepType type,
    StepStatus status,
    @Nullable String provider,
    @Nullable Integer promptTokens,
    @Nullable Integer completionTokens,
    @Nullable BigDecimal usageCents,
    @Nullable String promptHash,
    Instant createdAt,
    Instant updatedAt,
    Map<String, Object> metadata) {

  /** What kind of work a step is; new kinds (tool, plan) are added here, not to the schema. */
  public enum StepType {
    USER_INPUT,
    LLM,
    /** One tool call of an {@code llm} step (its parent), run as its own job. */
    TOOL,
    /** A Responses API answer ({@link ResponseChains}); a background one runs as a job. */
    RESPONSE,
    /**
     * A rolling summary of the turns up to its parent (the last step it covers); the context of a
     * later answer on that branch starts from it. Run as a job in the background.
     */
    SUMMARY
  }

  /** Where a step is in its life. */
  public enum StepStatus {
    QUEUED,
    RUNNING,
    /** A tool call waiting for the user's approval: not claimable until approved. */
    WAITING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean finished() {
      return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
  }
}
