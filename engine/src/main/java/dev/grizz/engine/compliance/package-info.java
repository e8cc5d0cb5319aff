/**
 * GDPR duties: erasing and exporting everything the engine keeps about a person, written to the
 * audit log. Owns the {@code audit_log} table.
 */
@NullMarked
package dev.grizz.engine.compliance;

import org.jspecify.annotations.NullMarked;
