package dev.grizz.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.TestServers;
import dev.grizz.engine.event.JobQueue;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two pods on one Redis, tracing into {@link MemorySpans} through the real {@code OTEL_*}
 * autoconfiguration: A runs the workers, B only serves requests. A caller's traceparent is one
 * trace from the request through the job and the provider call, on whichever pod runs the job.
 */
class TracingIT {

  static final Map<String, String> TRACED =
      Map.of(
          "otel.traces.exporter", "memory",
          "otel.bsp.schedule.delay", "20",
          "grizz.demo.tokens-per-second", "2000");

  static PrivateRedis redis;
  static EngineInstance a;
  static EngineInstance b;
  static ApiClient onA;
  static ApiClient onB;

  @BeforeAll
  static void startPods() {
    TestServers.Database db = TestServers.newDatabase();
    redis = new PrivateRedis();
    a = EngineInstance.start(db, redis.url(), TRACED);
    Map<String, String> front = new java.util.HashMap<>(TRACED);
    front.put("grizz.events.workers", "0");
    b = EngineInstance.start(db, redis.url(), front);
    onA = a.api();
    onB = onA.onPort(b.port());
  }

  @AfterAll
  static void stopPods() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static String newTraceId() {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  static String traceparent(String traceId) {
    return "00-" + traceId + "-00f067aa0ba902b7-01";
  }

  static List<SpanData> trace(String traceId) {
    return MemorySpans.SPANS.getFinishedSpanItems().stream()
        .filter(span -> span.getTraceId().equals(traceId))
        .toList();
  }

  static Optional<SpanData> named(List<SpanData> spans, String name) {
    return spans.stream().filter(span -> span.getName().equals(name)).findFirst();
  }

  /** Waits for the trace to hold a finished span of each name, then returns it. */
  static List<SpanData> awaitTrace(String traceId, String... names) {
    // Uncaught exceptions of the engines' own threads (a WebSocket sender interrupted mid-query
    // when its socket closes) are not this test's business.
    return await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> trace(traceId),
            spans -> List.of(names).stream().allMatch(name -> named(spans, name).isPresent()));
  }

  static ApiClient.Reply postMessage(ApiClient api, String conversation, String traceId) {
    return api.send(
        "/api/v1/conversations/" + conversation + "/messages",
        "POST",
        "{\"content\":\"trace me\"}",
        "application/json",
        Map.of("traceparent", traceparent(traceId)));
  }

  @Test
  void oneTraceRunsFromTheRequestThroughTheJobToTheProviderCall() {
    String conversation = onA.post("/api/v1/conversations", "{}").body().get("id").asString();
    String traceId = newTraceId();

    ApiClient.Reply posted = postMessage(onA, conversation, traceId);
    assertThat(posted.status()).as(posted.raw()).isEqualTo(202);
    assertThat(posted.header("X-Trace-Id")).isEqualTo(traceId);
    onA.awaitAnswered(conversation);

    String route = "POST /api/v1/conversations/{id}/messages";
    List<SpanData> spans = awaitTrace(traceId, route, "job.enqueue", "chat.step", "llm.attempt");
    SpanData http = named(spans, route).orElseThrow();
    SpanData enqueue = named(spans, "job.enqueue").orElseThrow();
    SpanData step = named(spans, "chat.step").orElseThrow();
    SpanData attempt = named(spans, "llm.attempt").orElseThrow();

    assertThat(http.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(http.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(http.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(202L);
    assertThat(http.getAttributes().get(AttributeKey.stringKey("url.path")))
        .isEqualTo("/api/v1/conversations/" + conversation + "/messages");
    assertThat(enqueue.getParentSpanId()).isEqualTo(http.getSpanId());
    assertThat(step.getParentSpanId()).isEqualTo(enqueue.getSpanId());
    assertThat(attempt.getParentSpanId()).isEqualTo(step.getSpanId());

    String stepId = posted.body().get("step_id").asString();
    assertThat(step.getAttributes().get(AttributeKey.stringKey("grizz.step_id"))).isEqualTo(stepId);
    assertThat(step.getAttributes().get(AttributeKey.stringKey("grizz.conversation_id")))
        .isEqualTo(conversation);
    assertThat(step.getAttributes().get(AttributeKey.longKey("grizz.events.appended")))
        .isGreaterThan(3L);
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
        .isEqualTo("demo");
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("grizz.llm.outcome")))
        .isEqualTo("completed");
    assertThat(attempt.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
        .isPositive();
    assertThat(
            attempt.getAttributes().get(AttributeKey.longKey("grizz.llm.time_to_first_token_ms")))
        .isNotNull();
    assertThat(http.getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("grizz");
  }

  @Test
  void theWorkerOnAnotherPodContinuesTheRequestsTrace() {
    String conversation = onB.post("/api/v1/conversations", "{}").body().get("id").asString();
    String traceId = newTraceId();

    assertThat(postMessage(onB, conversation, traceId).status()).isEqualTo(202);
    onB.awaitAnswered(conversation);

    List<SpanData> spans = awaitTrace(traceId, "job.enqueue", "chat.step", "llm.attempt");
    SpanData step = named(spans, "chat.step").orElseThrow();
    assertThat(step.getAttributes().get(AttributeKey.stringKey("grizz.pod")))
        .isEqualTo(a.bean(JobQueue.class).podId())
        .isNotEqualTo(b.bean(JobQueue.class).podId());
    assertThat(step.getParentSpanId())
        .isEqualTo(named(spans, "job.enqueue").orElseThrow().getSpanId());
  }

  @Test
  void aWebSocketMessageContinuesTheHandshakesTrace() throws InterruptedException {
    String conversation = onA.post("/api/v1/conversations", "{}").body().get("id").asString();
    String traceId = newTraceId();
    Map<String, String> headers = new java.util.HashMap<>(onA.authHeaders());
    headers.put("traceparent", traceparent(traceId));
    StreamClients.Ws ws = new StreamClients.Ws(onA.port(), "/ws/chat/" + conversation, headers);
    assertThat(ws.connectBlocking(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    try {
      ws.sendJson(Map.of("type", "user_message", "content", "over the socket"));
      String step =
          ws.until(frame -> frame.path("type").asString().equals("message.accepted"))
              .getLast()
              .at("/data/step_id")
              .asString();
      ws.until(StreamClients.finished(step));
    } finally {
      ws.close();
    }

    List<SpanData> spans = awaitTrace(traceId, "WS user_message", "job.enqueue", "chat.step");
    assertThat(named(spans, "job.enqueue").orElseThrow().getParentSpanId())
        .isEqualTo(named(spans, "WS user_message").orElseThrow().getSpanId());
  }

  @Test
  void anErrorBodyCarriesTheCallersTraceId() {
    String traceId = newTraceId();

    ApiClient.Reply reply =
        onA.send(
            "/api/v1/conversations",
            "POST",
            "{\"title\": ",
            "application/json",
            Map.of("traceparent", traceparent(traceId)));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/trace_id").asString()).isEqualTo(traceId);
    SpanData http = awaitTrace(traceId, "POST /api/v1/conversations").getFirst();
    assertThat(http.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(400L);
  }

  @Test
  void withoutATraceparentTheTraceIdShownIsTheSpans() {
    ApiClient.Reply reply = onA.get("/api/v1/conversations/not-a-uuid");

    String traceId = reply.header("X-Trace-Id");
    assertThat(reply.body().at("/error/trace_id").asString()).isEqualTo(traceId);
    assertThat(awaitTrace(traceId, "GET /api/v1/conversations/{id}")).hasSize(1);
  }

  @Test
  void theSdkIsOnAndClosesWithTheEngine() {
    assertThat(a.bean(Tracing.class).enabled()).isTrue();
    assertThat(a.bean(io.opentelemetry.api.OpenTelemetry.class))
        .isInstanceOf(io.opentelemetry.sdk.OpenTelemetrySdk.class);
  }
}
