package dev.grizz.engine.conversation;

import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How an {@code llm} step ended, to be stored in one go: its status and accounting, and the answer
 * text (null when the model produced none) with the model's reasoning (null when it relayed none),
 * and the tools it called (stored on the answer message, which then exists even without text) with
 * the vendor's signed reasoning that led to them ({@link StoredThinking}).
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
    @Nullable String reasoning,
    java.util.List<StoredToolCall> toolCalls,
    java.util.List<StoredThinking> thinking) {

  public StepResult {
    metadata = Map.copyOf(metadata);
    toolCalls = java.util.List.copyOf(toolCalls);
    thinking = java.util.List.copyOf(thinking);
  }

  /** This result with more metadata entries. */
  public StepResult withMetadata(Map<String, Object> entries) {
    if (entries.isEmpty()) {
      return this;
    }
    Map<String, Object> more = new java.util.LinkedHashMap<>(metadata);
    more.putAll(entries);
    return new StepResult(
        status,
        provider,
        promptTokens,
        completionTokens,
        usageCents,
        promptHash,
        more,
        answer,
        answerTokens,
        reasoning,
        toolCalls,
        thinking);
  }

  /** A result that calls no tools. */
  public StepResult(
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
    this(
        status,
        provider,
        promptTokens,
        completionTokens,
        usageCents,
        promptHash,
        metadata,
        answer,
        answerTokens,
        reasoning,
        java.util.List.of(),
        java.util.List.of());
  }
}
