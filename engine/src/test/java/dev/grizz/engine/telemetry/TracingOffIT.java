package dev.grizz.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With no {@code OTEL_*} setting tracing costs nothing, and trace ids still work. */
@EngineIT
class TracingOffIT {

  @LocalServerPort int port;
  @Autowired OpenTelemetry openTelemetry;
  @Autowired Tracing tracing;

  @Test
  void theOpenTelemetryBeanIsTheNoopOneAndNoExporterThreadRuns() {
    assertThat(openTelemetry).isSameAs(OpenTelemetry.noop());
    assertThat(tracing.enabled()).isFalse();
    // Another test class's traced engines may still be stopping their exporter threads.
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet())
                    .extracting(Thread::getName)
                    .noneMatch(name -> name.contains("BatchSpanProcessor")));
  }

  @Test
  void theCallersTraceIdIsStillInErrorBodies() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    ApiClient.Reply reply =
        new ApiClient(port)
            .send(
                "/api/v1/conversations",
                "POST",
                "{\"title\": ",
                "application/json",
                Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));

    assertThat(reply.body().at("/error/trace_id").asString()).isEqualTo(traceId);
    assertThat(reply.header("X-Trace-Id")).isEqualTo(traceId);
  }
}
