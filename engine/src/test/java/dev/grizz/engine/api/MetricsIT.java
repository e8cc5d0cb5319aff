package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The alert rules parse and every metric they use is one the engine really exports. */
@EngineIT
class MetricsIT {

  private static final Pattern METRIC =
      Pattern.compile("\\b(grizz_[a-z_]+|http_server_requests_seconds_[a-z]+)\\b");

  @LocalServerPort int port;

  @org.springframework.beans.factory.annotation.Autowired
  dev.grizz.engine.security.Accounts accounts;

  /** Prometheus scrapes with an admin's API key as a bearer token (the README's scrape config). */
  private String scrapeKey() {
    return ApiClient.admin(port, accounts)
        .post("/api/v1/api-keys", "{\"name\":\"prometheus\"}")
        .body()
        .get("key")
        .asString();
  }

  @Test
  void metricsAreForAdminsOnly() throws Exception {
    URI uri = URI.create("http://localhost:" + port + "/actuator/prometheus");
    HttpClient http = HttpClient.newHttpClient();
    assertThat(
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
    String userToken = new ApiClient(port).token();
    assertThat(
            http.send(
                    HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + userToken)
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(403);
  }

  private String scrape() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + scrapeKey())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theAlertRulesUseMetricsTheEngineExports() throws Exception {
    ApiClient api = new ApiClient(port);
    String conversation =
        api.post("/api/v1/conversations", "{\"message\":\"measure me\"}")
            .body()
            .get("id")
            .asString();
    api.awaitAnswered(conversation);
    api.get("/api/v1/conversations/" + java.util.UUID.randomUUID());
    String exported = scrape();

    Map<String, Object> rules =
        new Yaml(new LoaderOptions())
            .load(Files.readString(Path.of("../deploy/prometheus/alerts.yml")));
    Set<String> used = new LinkedHashSet<>();
    for (Object group : (List<Object>) rules.get("groups")) {
      for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
        Map<String, Object> alert = (Map<String, Object>) rule;
        assertThat(alert).containsKeys("alert", "expr", "labels", "annotations");
        Matcher metric = METRIC.matcher(String.valueOf(alert.get("expr")));
        while (metric.find()) {
          used.add(metric.group(1));
        }
      }
    }

    assertThat(used).contains("grizz_first_token_seconds_bucket", "grizz_event_log_degraded");
    for (String metric : used) {
      assertThat(exported).as("exports %s", metric).containsPattern("(?m)^" + metric + "[{ ]");
    }
    assertThat(exported)
        .contains(
            "grizz_deltas_total",
            "grizz_usage_cents_total",
            "grizz_jobs_running",
            "grizz_subscriptions",
            "grizz_websocket_sessions",
            "grizz_stream_duration_seconds");
  }
}
