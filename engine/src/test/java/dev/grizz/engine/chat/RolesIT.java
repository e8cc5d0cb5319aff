package dev.grizz.engine.chat;

import static dev.grizz.engine.StreamClients.assertCompleteReply;
import static dev.grizz.engine.StreamClients.finished;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineProcess;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Gateways and workers as separate processes on one PostgreSQL and one Redis (GRIZZ_ROLE): two
 * gateways hold the clients' streams and run no steps, two workers run the steps and serve only
 * health and metrics. A worker killed mid-answer (SIGKILL) is taken over by the other; a gateway
 * stopped as Kubernetes stops a pod (SIGTERM) turns unready, then closes its sockets with 1012; a
 * gateway killed outright just drops them. Either way the client resumes on the other gateway from
 * its last event and sees every answer complete, once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RolesIT {

  private static final Map<String, String> ADMIN =
      Map.of(
          "GRIZZ_ADMIN_EMAIL", "roles-admin@example.com",
          "GRIZZ_ADMIN_PASSWORD", "roles admin password");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern RUNNING =
      Pattern.compile("(?m)^grizz_jobs_running(?:\\{[^}]*})? ([0-9.]+)");

  @TempDir Path home;

  @Test
  void answersCompleteThroughAKilledWorkerADrainedGatewayAndAKilledGateway() throws Exception {
    TestServers.Database db = TestServers.newDatabase();
    try (PrivateRedis redis = new PrivateRedis()) {
      Map<String, String> common = new HashMap<>(db.engineEnv(Map.of()));
      common.put("GRIZZ_REDIS_URL", redis.url());
      common.put("GRIZZ_JOB_LEASE", "3s");
      // Five engines at 10 pooled connections each would take half of PostgreSQL's 100.
      common.put("GRIZZ_DB_POOL_SIZE", "3");
      common.put("GRIZZ_JOB_STREAM", "grizz:jobs:roles-it");
      Map<String, String> gateway = with(common, "GRIZZ_ROLE", "gateway");
      gateway.put("GRIZZ_DRAIN_DELAY", "2s");
      Map<String, String> worker = with(common, "GRIZZ_ROLE", "worker");
      worker.put("GRIZZ_DEMO_TOKENS_PER_SECOND", "10");
      // First alone: it migrates the schema and makes the admin, then the rest side by side.
      Map<String, String> withAdmin = new HashMap<>(gateway);
      withAdmin.putAll(ADMIN);
      EngineProcess gateway2 = EngineProcess.start(home, withAdmin);
      List<EngineProcess> pods = new ArrayList<>(List.of(gateway2));
      try {
        pods.addAll(startAll(List.of(gateway, worker, worker, gateway)));
        EngineProcess doomedGateway = pods.get(1);
        List<EngineProcess> workers = List.of(pods.get(2), pods.get(3));
        EngineProcess killedGateway = pods.get(4);
        String scrapeKey =
            ApiClient.login(
                    gateway2.port(),
                    ADMIN.get("GRIZZ_ADMIN_EMAIL"),
                    ADMIN.get("GRIZZ_ADMIN_PASSWORD"))
                .post("/api/v1/api-keys", "{\"name\":\"prometheus\"}")
                .body()
                .get("key")
                .asString();
        aWorkerServesHealthAndMetricsOnly(workers.getFirst(), scrapeKey);

        // 1. A worker killed mid-answer, then the client's gateway drained.
        ApiClient api = new ApiClient(doomedGateway.port());
        String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
        String step = post(api, conversation, "outlive a worker and a gateway");
        List<JsonNode> events = new ArrayList<>();
        StreamClients.Ws socket = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
        while (deltas(events) < 3) {
          events.add(socket.next());
        }
        EngineProcess running = awaitRunning(workers, scrapeKey);
        running.kill();
        EngineProcess survivor = workers.get(workers.get(0) == running ? 1 : 0);

        CompletableFuture<Integer> stopped =
            CompletableFuture.supplyAsync(() -> doomedGateway.terminate(Duration.ofSeconds(60)));
        assertThat(awaitStatus(doomedGateway, "/actuator/health/readiness", 503))
            .as("readiness turns 503 before the sockets close")
            .isTrue();
        long closeBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!socket.isClosed() && System.nanoTime() < closeBy) {
          JsonNode frame = socket.frames.poll(100, TimeUnit.MILLISECONDS);
          if (frame != null) {
            events.add(frame);
          }
        }
        socket.frames.drainTo(events);
        assertThat(socket.closeCode).as("the drained gateway's close code").isEqualTo(1012);
        assertThat(stopped.get(60, TimeUnit.SECONDS)).isEqualTo(143);
        assertThat(doomedGateway.log()).contains("draining: ended 1 open streams");

        String cursor = events.getLast().get("id").asString();
        ApiClient resumed = api.onPort(gateway2.port());
        StreamClients.Ws again =
            StreamClients.Ws.connect(
                resumed, "/ws/chat/" + conversation + "?last_event_id=" + cursor);
        try {
          events.addAll(again.until(finished(step)));
        } finally {
          again.close();
        }
        assertThat(events).extracting(e -> e.get("type").asString()).contains("step.restarted");
        JsonNode stored = resumed.awaitAnswered(conversation);
        String answer = stored.get("messages").get(1).get("content").asString();
        assertThat(answer).isEqualTo(DemoReplies.full("outlive a worker and a gateway"));
        assertCompleteReply(events, step, answer);

        // 2. A gateway killed outright (SIGKILL) with a live event stream.
        ApiClient second = new ApiClient(killedGateway.port());
        String other = second.post("/api/v1/conversations", "{}").body().get("id").asString();
        String secondStep = post(second, other, "outlive a crashed gateway");
        List<JsonNode> seen = new ArrayList<>();
        try (StreamClients.Sse sse =
            StreamClients.sse(second, "/api/v1/conversations/" + other + "/events", Map.of())) {
          while (deltas(seen) < 3) {
            seen.add(sse.next());
          }
          killedGateway.kill();
        }
        String last = seen.getLast().get("id").asString();
        ApiClient elsewhere = second.onPort(gateway2.port());
        try (StreamClients.Sse sse =
            StreamClients.sse(
                elsewhere,
                "/api/v1/conversations/" + other + "/events",
                Map.of("Last-Event-ID", last))) {
          seen.addAll(sse.until(finished(secondStep)));
        }
        String secondAnswer =
            elsewhere.awaitAnswered(other).get("messages").get(1).get("content").asString();
        assertThat(secondAnswer).isEqualTo(DemoReplies.full("outlive a crashed gateway"));
        assertCompleteReply(seen, secondStep, secondAnswer);
        assertThat(metric(survivor, scrapeKey, RUNNING)).isZero();
        assertThat(metric(gateway2, scrapeKey, RUNNING)).as("gateways run no steps").isZero();

        // 3. The last worker stopped with SIGTERM mid-answer: it finishes the step, then exits.
        String third = post(elsewhere, other, "finish before you go");
        awaitRunning(List.of(survivor), scrapeKey);
        assertThat(survivor.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        assertThat(survivor.log()).contains("draining: waiting up to PT1M for 1 running steps");
        JsonNode done = elsewhere.awaitAnswered(other);
        JsonNode lastStep = done.get("steps").get(done.get("steps").size() - 1);
        assertThat(lastStep.get("id").asString()).isEqualTo(third);
        assertThat(lastStep.get("status").asString()).isEqualTo("completed");
        assertThat(lastStep.at("/metadata/attempt").asInt()).isEqualTo(1);
      } finally {
        pods.forEach(EngineProcess::close);
      }
    }
  }

  private static void aWorkerServesHealthAndMetricsOnly(EngineProcess worker, String key)
      throws Exception {
    assertThat(status(worker, "/health", null)).isEqualTo(200);
    assertThat(status(worker, "/actuator/health/readiness", null)).isEqualTo(200);
    assertThat(status(worker, "/actuator/health/liveness", null)).isEqualTo(200);
    assertThat(status(worker, "/actuator/prometheus", key)).isEqualTo(200);
    HttpResponse<String> api = get(worker, "/api/v1/conversations", key);
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(api.body()).contains("\"code\":\"not_found\"").contains("GRIZZ_ROLE=worker");
    assertThat(status(worker, "/v1/models", key)).isEqualTo(404);
    assertThat(status(worker, "/", null)).isEqualTo(404);
  }

  private static String post(ApiClient api, String conversation, String content) {
    return api.post(
            "/api/v1/conversations/" + conversation + "/messages",
            "{\"content\":\"" + content + "\"}")
        .body()
        .get("step_id")
        .asString();
  }

  private static long deltas(List<JsonNode> events) {
    return events.stream().filter(e -> e.path("type").asString().equals("message.delta")).count();
  }

  /** The worker whose metrics say it runs a step now. */
  private static EngineProcess awaitRunning(List<EngineProcess> workers, String key)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (EngineProcess worker : workers) {
        if (metric(worker, key, RUNNING) > 0) {
          return worker;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no worker reports a running step");
  }

  private static double metric(EngineProcess pod, String key, Pattern pattern) throws Exception {
    HttpResponse<String> scrape = get(pod, "/actuator/prometheus", key);
    assertThat(scrape.statusCode()).isEqualTo(200);
    Matcher matcher = pattern.matcher(scrape.body());
    assertThat(matcher.find()).as("metric %s on port %s", pattern, pod.port()).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

  private static boolean awaitStatus(EngineProcess pod, String path, int wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (status(pod, path, null) == wanted) {
          return true;
        }
      } catch (Exception stopping) {
        return false;
      }
      Thread.sleep(20);
    }
    return false;
  }

  private static int status(EngineProcess pod, String path, String key) throws Exception {
    return get(pod, path, key).statusCode();
  }

  private static HttpResponse<String> get(EngineProcess pod, String path, String key)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + pod.port() + path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> with(Map<String, String> env, String name, String value) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put(name, value);
    return copy;
  }

  /**
   * Starts the processes two at a time (one after another they take twice as long; all at once they
   * crowd two cores). If one fails the others are stopped.
   */
  private List<EngineProcess> startAll(List<Map<String, String>> envs) {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<CompletableFuture<EngineProcess>> starting =
          envs.stream()
              .map(env -> CompletableFuture.supplyAsync(() -> EngineProcess.start(home, env), pool))
              .toList();
      try {
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
      } catch (RuntimeException failed) {
        starting.forEach(
            future -> future.thenAccept(EngineProcess::close).exceptionally(e -> null).join());
        throw failed;
      }
      return starting.stream().map(CompletableFuture::join).toList();
    } finally {
      pool.shutdown();
    }
  }
}
