/**
 * Wiring that spans features: the database (embedded or configured), the clock and id generator,
 * start-up summary, and the one-line report of configuration errors.
 */
@NullMarked
package dev.grizz.engine.config;

import org.jspecify.annotations.NullMarked;
