/**
 * The usage ledger: one {@code llm_usage} row per completion attempt, with exact cost. {@link
 * dev.grizz.engine.usage.UsageLedger} is the only way in.
 */
@NullMarked
package dev.grizz.engine.usage;

import org.jspecify.annotations.NullMarked;
