/**
 * Events and jobs across pods. For now: the Redis connection settings and its readiness check; the
 * event log and job queue build on them.
 */
@NullMarked
package dev.grizz.engine.event;

import org.jspecify.annotations.NullMarked;
