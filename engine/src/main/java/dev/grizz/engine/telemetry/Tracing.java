package dev.grizz.engine.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The engine's tracer, and the W3C {@code traceparent} glue that carries a trace from a request
 * into a job on any pod. With tracing off the tracer is OpenTelemetry's no-op one: spans cost a
 * method call, and a trace id still flows from the request to the worker's log lines because a
 * no-op span keeps its parent's context and {@link TraceIds} makes one up where there is none.
 */
public final class Tracing {

  /** The instrumentation scope name of every span the engine makes. */
  public static final String SCOPE = "dev.grizz.engine";

  private final Tracer tracer;
  private final boolean enabled;

  public Tracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(SCOPE);
    this.enabled = openTelemetry != OpenTelemetry.noop();
  }

  public Tracer tracer() {
    return tracer;
  }

  /** Whether spans are recorded and exported (an {@code OTEL_*} exporter is configured). */
  public boolean enabled() {
    return enabled;
  }

  /** The remote parent a W3C traceparent names; the root context when it is absent or invalid. */
  public static Context parent(@Nullable String traceparent) {
    SpanContext remote = TraceIds.remoteParent(traceparent);
    return remote.isValid() ? Context.root().with(Span.wrap(remote)) : Context.root();
  }

  /**
   * The traceparent of the current span, for work handed to another pod; with no valid span
   * (tracing off and no caller's traceparent) one that carries the log context's trace id.
   */
  public static String currentTraceparent() {
    SpanContext span = Span.current().getSpanContext();
    if (!span.isValid()) {
      return TraceIds.currentTraceparent();
    }
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
  }

  /**
   * The trace id to log and show for work under {@code span}: the span's own, else the trace id of
   * {@code traceparent}, else a new one.
   */
  public static String traceId(Span span, @Nullable String traceparent) {
    SpanContext context = span.getSpanContext();
    return context.isValid() ? context.getTraceId() : TraceIds.fromTraceparent(traceparent);
  }

  /**
   * Makes {@code span} current on this thread and puts {@code traceId} in the log context; closing
   * the scope restores both.
   */
  public static Scope activate(Span span, String traceId) {
    String previous = MDC.get(TraceIds.MDC_KEY);
    MDC.put(TraceIds.MDC_KEY, traceId);
    Scope scope = span.makeCurrent();
    return () -> {
      scope.close();
      if (previous == null) {
        MDC.remove(TraceIds.MDC_KEY);
      } else {
        MDC.put(TraceIds.MDC_KEY, previous);
      }
    };
  }
}
