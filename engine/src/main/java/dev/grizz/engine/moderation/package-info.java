/**
 * Content moderation. {@link dev.grizz.engine.moderation.ModerationService} scores what users send
 * and what models answer (offline patterns, or OpenAI's moderation endpoint with the patterns as
 * fallback), applies the per-category policy and logs violations; {@link
 * dev.grizz.engine.moderation.ViolationLog} lists and reviews them; {@link
 * dev.grizz.engine.moderation.Suspensions} says who is suspended. Owns the {@code
 * policy_violations} table and {@code users.suspended_at}.
 */
@NullMarked
package dev.grizz.engine.moderation;

import org.jspecify.annotations.NullMarked;
