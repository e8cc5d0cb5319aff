/**
 * Wiring that spans features: the database (embedded or configured), the clock and id generator,
 * setting checks and secrets, and the one-line report of configuration errors. Every feature
 * depends on it, so it depends on no feature (the start-up summary, which reads several, sits in
 * the root package).
 */
@NullMarked
package dev.grizz.engine.config;

import org.jspecify.annotations.NullMarked;
