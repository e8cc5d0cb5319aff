package dev.grizz.engine.usage;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Default limits for every user, unless the {@code budgets} table says otherwise for one. A null
 * limit is no limit.
 */
@ConfigurationProperties("grizz.budget")
record BudgetSettings(
    @Nullable BigDecimal dailyCents,
    @Nullable BigDecimal monthlyCents,
    @Nullable Integer tokensPerMinute) {}
