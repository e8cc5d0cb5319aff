/**
 * GDPR duties: erasing and exporting everything the engine keeps about a person, and purging data
 * past its retention. Each erasure and export is written to the {@link
 * dev.grizz.engine.audit.AuditLog}.
 */
@NullMarked
package dev.grizz.engine.compliance;

import org.jspecify.annotations.NullMarked;
