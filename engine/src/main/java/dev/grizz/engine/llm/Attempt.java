package dev.grizz.engine.llm;

import java.math.BigDecimal;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** One upstream call: who served it, how it ended, usage (reported or estimated), cost, timings. */
public record Attempt(
    String provider,
    String model,
    LlmOutcome outcome,
    Usage usage,
    BigDecimal usageCents,
    @Nullable Duration timeToFirstToken,
    Duration total) {}
