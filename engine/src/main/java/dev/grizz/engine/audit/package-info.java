/**
 * The audit log: who did what to whom, for every feature that acts on a person (compliance's
 * erasures and exports, moderation's reviews and suspensions). It is its own feature, below those
 * that write to it, so that they need not depend on each other to share it. Owns the {@code
 * audit_log} table.
 */
@NullMarked
package dev.grizz.engine.audit;

import org.jspecify.annotations.NullMarked;
