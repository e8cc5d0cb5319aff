package dev.grizz.engine.llm;

import java.math.BigDecimal;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One finished upstream attempt as the router saw it: who served it, how it ended, the text it
 * produced, usage (reported or estimated), exact cost and timings.
 */
public record Completion(
    String provider,
    String model,
    LlmOutcome outcome,
    String text,
    Usage usage,
    BigDecimal usageCents,
    @Nullable Duration timeToFirstToken,
    Duration total) {}
