package dev.grizz.engine.telemetry;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * The span exporter {@code otel.traces.exporter=memory}: every engine in this JVM that names it
 * exports into {@link #SPANS}, so a test reads the spans of several pods in one place, through the
 * engine's real autoconfiguration path.
 */
public final class MemorySpans implements ConfigurableSpanExporterProvider {

  public static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

  @Override
  public String getName() {
    return "memory";
  }

  @Override
  public SpanExporter createExporter(ConfigProperties config) {
    // A closing engine shuts its exporter down; the shared store must outlive it.
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return SPANS.export(spans);
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
  }
}
