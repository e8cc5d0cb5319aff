package dev.grizz.engine.usage;

import java.math.BigDecimal;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One completion attempt to bill: what was used, what it cost, how long it took, how it ended. */
public record UsageRecord(
    @Nullable UUID stepId,
    @Nullable UUID userId,
    String provider,
    String model,
    @Nullable Integer promptTokens,
    @Nullable Integer completionTokens,
    BigDecimal usageCents,
    boolean estimated,
    @Nullable Long timeToFirstTokenMs,
    long totalMs,
    Outcome outcome,
    @Nullable String errorCode,
    @Nullable UUID apiKeyId) {

  /** How the attempt ended. */
  public enum Outcome {
    COMPLETED,
    FAILED,
    CANCELLED
  }
}
