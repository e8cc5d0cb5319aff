package dev.grizz.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.env.MockEnvironment;

class TracingTests {

  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CALLER = "00-" + TRACE + "-00f067aa0ba902b7-01";

  @Test
  @SuppressWarnings("try")
  void withTracingOffTheCallersTraceIdStillReachesTheJob() {
    Tracing tracing = new Tracing(OpenTelemetry.noop());
    Span span = tracing.tracer().spanBuilder("GET").setParent(Tracing.parent(CALLER)).startSpan();
    String traceId = Tracing.traceId(span, CALLER);
    assertThat(traceId).isEqualTo(TRACE);
    try (Scope scope = Tracing.activate(span, traceId)) {
      assertThat(MDC.get(TraceIds.MDC_KEY)).isEqualTo(TRACE);
      assertThat(Tracing.currentTraceparent()).startsWith("00-" + TRACE + "-");
    }
    assertThat(MDC.get(TraceIds.MDC_KEY)).isNull();
    assertThat(tracing.enabled()).isFalse();
  }

  @Test
  @SuppressWarnings("try")
  void withTracingOffAndNoCallerTheLogContextsIdIsCarried() {
    Tracing tracing = new Tracing(OpenTelemetry.noop());
    Span span = tracing.tracer().spanBuilder("GET").setParent(Tracing.parent(null)).startSpan();
    String traceId = Tracing.traceId(span, null);
    try (Scope scope = Tracing.activate(span, traceId)) {
      assertThat(Tracing.currentTraceparent()).startsWith("00-" + traceId + "-");
    }
  }

  @Test
  @SuppressWarnings("try")
  void withTracingOnSpansContinueTheCallersTrace() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build()) {
      Tracing tracing = new Tracing(sdk);
      Span span = tracing.tracer().spanBuilder("GET").setParent(Tracing.parent(CALLER)).startSpan();
      String handedOn;
      try (Scope scope = Tracing.activate(span, Tracing.traceId(span, CALLER))) {
        handedOn = Tracing.currentTraceparent();
      }
      span.end();
      Span worker =
          tracing.tracer().spanBuilder("chat.step").setParent(Tracing.parent(handedOn)).startSpan();
      worker.end();

      assertThat(spans.getFinishedSpanItems())
          .extracting(SpanData::getTraceId)
          .containsExactly(TRACE, TRACE);
      SpanData request = spans.getFinishedSpanItems().get(0);
      assertThat(request.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
      assertThat(spans.getFinishedSpanItems().get(1).getParentSpanId())
          .isEqualTo(request.getSpanId());
      assertThat(tracing.enabled()).isTrue();
    }
  }

  @Test
  void aBadTraceparentStartsANewTrace() {
    assertThat(Span.fromContext(Tracing.parent("garbage")).getSpanContext().isValid()).isFalse();
    assertThat(
            Span.fromContext(
                    Tracing.parent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
                .getSpanContext()
                .isValid())
        .isFalse();
  }

  @Test
  void tracingIsOffUnlessAnExporterIsAskedFor() {
    assertThat(TelemetryConfig.wanted(new MockEnvironment())).isFalse();
    assertThat(
            TelemetryConfig.wanted(
                new MockEnvironment().withProperty("otel.traces.exporter", "otlp")))
        .isTrue();
    assertThat(
            TelemetryConfig.wanted(
                new MockEnvironment()
                    .withProperty("otel.exporter.otlp.endpoint", "http://localhost:4318")))
        .isTrue();
    assertThat(
            TelemetryConfig.wanted(
                new MockEnvironment().withProperty("otel.traces.exporter", "none")))
        .isFalse();
    assertThat(
            TelemetryConfig.wanted(
                new MockEnvironment()
                    .withProperty("otel.traces.exporter", "otlp")
                    .withProperty("otel.sdk.disabled", "true")))
        .isFalse();
    assertThat(
            TelemetryConfig.wanted(
                new MockEnvironment().withProperty("otel.sdk.disabled", "false")))
        .isTrue();
  }

  @Test
  void otlpIsSentOverHttpByDefault() {
    OpenTelemetry sdk =
        new TelemetryConfig()
            .openTelemetry(
                new MockEnvironment()
                    .withProperty("otel.traces.exporter", "otlp")
                    .withProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:9"));
    assertThat(sdk).isInstanceOf(OpenTelemetrySdk.class);
    ((OpenTelemetrySdk) sdk).close();
  }
}
