package dev.grizz.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineProcess;
import dev.grizz.engine.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GRIZZ_LOG_FORMAT=json}: every line is a JSON document, with the request's trace id. */
class JsonLogsIT {

  @TempDir Path home;

  @Test
  void jsonLogLinesCarryTheTraceId() throws Exception {
    TestServers.Database db = TestServers.database();
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    try (EngineProcess engine =
        EngineProcess.start(
            home,
            db.engineEnv(
                Map.of(
                    "GRIZZ_LOG_FORMAT",
                    "json",
                    // The request log line is at debug.
                    "LOGGING_LEVEL_DEV_GRIZZ_ENGINE_TELEMETRY",
                    "DEBUG")))) {
      ApiClient.unauthenticated(engine.port())
          .get("/health", Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));

      Path log = home.resolve("engine-" + engine.port() + ".log");
      JsonMapper json = JsonMapper.builder().build();
      List<String> lines =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> Files.readAllLines(log).stream().filter(l -> l.contains(traceId)).toList(),
                  found -> !found.isEmpty());
      JsonNode line = json.readTree(lines.getFirst());
      assertThat(line.path("trace_id").asString()).as(lines.getFirst()).isEqualTo(traceId);
      assertThat(line.path("message").asString()).contains("/health");
      // Every line the engine wrote is JSON, start-up included.
      for (String other : Files.readAllLines(log)) {
        if (!other.isBlank()) {
          assertThat(json.readTree(other).isObject()).as(other).isTrue();
        }
      }
    }
  }
}
