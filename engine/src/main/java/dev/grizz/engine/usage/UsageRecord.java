package dev.grizz.engine.usage;

import java.math.BigDecimal;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One completion attempt to bill: what was used, what the user is billed ({@code usageCents}) and
 * what the provider charged ({@code providerCents}; the same, except for an engine retry, which the
 * user does not pay), how long it took, how it ended.
 */
public record UsageRecord(
    @Nullable UUID stepId,
    @Nullable UUID userId,
    String provider,
    String model,
    @Nullable Integer promptTokens,
    @Nullable Integer completionTokens,
    BigDecimal usageCents,
    BigDecimal providerCents,
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
    CANCELLED,
    /**
     * An attempt of a step that a later attempt took over (its worker lost the lease): the answer
     * kept is the later one's, so this one is billed 0 and counts toward no budget or usage total.
     */
    ENGINE_RETRY
  }
}
