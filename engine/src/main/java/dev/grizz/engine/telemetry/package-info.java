/**
 * Tracing: the OpenTelemetry SDK set up by the standard {@code OTEL_*} variables (off, as a no-op,
 * unless they ask for an exporter), a server span per request, the W3C {@code traceparent} that
 * carries a trace into a job on any pod, and the trace id in the log context and every error body.
 */
@NullMarked
package dev.grizz.engine.telemetry;

import org.jspecify.annotations.NullMarked;
