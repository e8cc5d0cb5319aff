/**
 * Trace ids: taken from a W3C {@code traceparent} header or made anew, carried in the log context
 * and every error body.
 */
@NullMarked
package dev.grizz.engine.telemetry;

import org.jspecify.annotations.NullMarked;
