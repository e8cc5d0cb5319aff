package dev.grizz.engine.telemetry;

import dev.grizz.engine.config.SettingException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The OpenTelemetry SDK, set up by the standard {@code OTEL_*} variables, or nothing at all.
 *
 * <p>Tracing is off unless an exporter is asked for ({@code OTEL_TRACES_EXPORTER}, {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) or {@code
 * OTEL_SDK_DISABLED=false} is set explicitly. Off means {@link OpenTelemetry#noop()}: the SDK
 * classes are never loaded, so there is no exporter thread, no retry log line when no collector
 * listens, and a span costs a method call. The autoconfigure SDK alone would default to exporting
 * traces, metrics and logs to localhost:4318 and warn every minute when nothing is there.
 *
 * <p>On, only traces are exported (metrics stay with Prometheus, logs with stdout) unless {@code
 * OTEL_METRICS_EXPORTER}/{@code OTEL_LOGS_EXPORTER} say otherwise; the service is {@code grizz}
 * unless {@code OTEL_SERVICE_NAME} names another. {@code otel.*} Spring properties (command line,
 * application properties) are passed on too, below the environment variables. OTLP is {@code
 * http/protobuf} unless {@code OTEL_EXPORTER_OTLP_PROTOCOL} says otherwise (and gRPC would need a
 * sender the engine does not bundle).
 */
@Configuration(proxyBeanMethods = false)
class TelemetryConfig {

  static final String DEFAULT_SERVICE_NAME = "grizz";

  /**
   * Closed with the context through its inferred {@code close()}: an SDK exports its buffered spans
   * and stops its thread; the no-op has nothing to close.
   */
  @Bean
  OpenTelemetry openTelemetry(ConfigurableEnvironment environment) {
    if (!wanted(environment)) {
      return OpenTelemetry.noop();
    }
    try {
      return AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(() -> properties(environment))
          .build()
          .getOpenTelemetrySdk();
    } catch (ConfigurationException | IllegalStateException e) {
      // e.g. an unknown exporter name, or OTLP over gRPC, whose sender is not bundled.
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      String why = cause == e ? e.getMessage() : e.getMessage() + ": " + cause.getMessage();
      throw new SettingException("OTEL_*", "is invalid: " + why);
    }
  }

  @Bean
  Tracing tracing(OpenTelemetry openTelemetry) {
    return new Tracing(openTelemetry);
  }

  static boolean wanted(ConfigurableEnvironment environment) {
    String disabled = environment.getProperty("otel.sdk.disabled", "").strip();
    if (disabled.equalsIgnoreCase("true")) {
      return false;
    }
    String exporter = environment.getProperty("otel.traces.exporter", "").strip();
    if (exporter.toLowerCase(Locale.ROOT).equals("none")) {
      return false;
    }
    return disabled.equalsIgnoreCase("false")
        || !exporter.isEmpty()
        || !environment.getProperty("otel.exporter.otlp.endpoint", "").isBlank()
        || !environment.getProperty("otel.exporter.otlp.traces.endpoint", "").isBlank();
  }

  /**
   * Defaults, then any {@code otel.*} Spring property; the SDK lets its environment win over both.
   */
  private static Map<String, String> properties(ConfigurableEnvironment environment) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    // The Java SDK defaults to gRPC, whose sender would add okhttp or grpc-java; OTLP over HTTP
    // (the protocol the OpenTelemetry spec recommends) goes through the JDK's client.
    properties.put("otel.exporter.otlp.protocol", "http/protobuf");
    String resource = environment.getProperty("otel.resource.attributes", "");
    if (!resource.contains("service.name=")) {
      properties.put("otel.service.name", DEFAULT_SERVICE_NAME);
    }
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          if (name.startsWith("otel.")) {
            String value = environment.getProperty(name);
            if (value != null) {
              properties.put(name, value);
            }
          }
        }
      }
    }
    return properties;
  }
}
