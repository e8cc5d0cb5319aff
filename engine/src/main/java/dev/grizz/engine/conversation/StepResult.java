package dev.grizz.engine.conversation;

import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How an {@code llm} step ended, to be stored in one go: its status and accounting, and the answer
 * text (null when the model produced none) with the model's reasoning (null when it relayed none).
 */
public record StepResult(
    Step.StepStatus status,
    String provider,
    @Nullable Integer promptTokens,
    @Nullable Integer completionTokens,
    BigDecimal usageCents,
    @Nullable String promptHash,
    Map<String, Object> metadata,
    @Nullable String answer,
    @Nullable Integer answerTokens,
    @Nullable String reasoning) {

  public StepResult {
    metadata = Map.copyOf(metadata);
  }
}
