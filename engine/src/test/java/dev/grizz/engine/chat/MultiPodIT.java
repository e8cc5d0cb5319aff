package dev.grizz.engine.chat;

import static dev.grizz.engine.StreamClients.assertCompleteReply;
import static dev.grizz.engine.StreamClients.finished;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.TestServers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two pods on one Redis and one PostgreSQL: A runs the workers, B only serves clients. What is
 * posted on one streams from the other, a cancel sent to B stops A's generation, and a client that
 * drops from A resumes on B.
 */
class MultiPodIT {

  static PrivateRedis redis;
  static EngineInstance a;
  static EngineInstance b;
  // One user, on either pod.
  static ApiClient onA;
  static ApiClient onB;

  @BeforeAll
  static void startPods() {
    TestServers.Database db = TestServers.newDatabase();
    redis = new PrivateRedis();
    // ~20 tokens/s: an answer takes a few seconds, long enough to cut and cancel mid-way.
    a = EngineInstance.start(db, redis.url(), Map.of("grizz.demo.tokens-per-second", "20"));
    b =
        EngineInstance.start(
            db,
            redis.url(),
            Map.of("grizz.demo.tokens-per-second", "20", "grizz.events.workers", "0"));
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

  private static String conversation(ApiClient api) {
    return api.post("/api/v1/conversations", "{}").body().get("id").asString();
  }

  private static String post(ApiClient api, String conversation, String content) {
    return api.post(
            "/api/v1/conversations/" + conversation + "/messages",
            "{\"content\":\"" + content + "\"}")
        .body()
        .get("step_id")
        .asString();
  }

  private static String lastMessage(JsonNode conversation) {
    JsonNode messages = conversation.get("messages");
    return messages.get(messages.size() - 1).get("content").asString();
  }

  private static double started(EngineInstance pod, String via) {
    return pod.bean(io.micrometer.core.instrument.MeterRegistry.class)
        .counter("grizz.jobs.started", "via", via)
        .count();
  }

  @Test
  void aPodWithAFreeWorkerRunsWhatIsPostedToItAndAnApiOnlyPodQueuesIt() {
    double hereBefore = started(a, "here");
    double queuedBefore = started(a, "queue");

    String onItsOwn = conversation(onA);
    String step = post(onA, onItsOwn, "posted on the worker pod");
    onA.awaitAnswered(onItsOwn);

    assertThat(started(a, "here")).isEqualTo(hereBefore + 1);
    assertThat(started(a, "queue")).isEqualTo(queuedBefore);
    assertThat(step).isNotBlank();

    String viaQueue = conversation(onB);
    post(onB, viaQueue, "posted on the API-only pod");
    onB.awaitAnswered(viaQueue);

    assertThat(started(a, "queue")).isEqualTo(queuedBefore + 1);
    assertThat(started(a, "here")).isEqualTo(hereBefore + 1);
  }

  @Test
  void aMessagePostedOnOnePodStreamsFromTheOther() {
    String conversation = conversation(onA);
    String step = post(onA, conversation, "posted on A");

    List<JsonNode> events;
    try (StreamClients.Sse sse =
        StreamClients.sse(onB, "/api/v1/conversations/" + conversation + "/events", Map.of())) {
      events = sse.until(finished(step));
    }

    assertCompleteReply(events, step, lastMessage(onB.awaitAnswered(conversation)));
  }

  @Test
  void aCancelSentToOnePodStopsTheGenerationOnTheOther() {
    String conversation = conversation(onB);
    String step = post(onB, conversation, "a long answer to cancel");

    List<JsonNode> events = new ArrayList<>();
    try (StreamClients.Sse sse =
        StreamClients.sse(onB, "/api/v1/conversations/" + conversation + "/events", Map.of())) {
      while (events.stream().filter(e -> e.get("type").asString().equals("message.delta")).count()
          < 3) {
        events.add(sse.next());
      }
      ApiClient.Reply cancel =
          onB.post("/api/v1/conversations/" + conversation + "/steps/" + step + "/cancel", "");
      assertThat(cancel.status()).isEqualTo(202);
      events.addAll(sse.until(finished(step)));
    }

    assertThat(events)
        .extracting(e -> e.get("type").asString())
        .contains("step.cancelled")
        .endsWith("step.finished");
    assertThat(events.getLast().at("/data/status").asString()).isEqualTo("cancelled");
    JsonNode stored = onB.awaitAnswered(conversation);
    JsonNode answerStep = stored.get("steps").get(1);
    assertThat(answerStep.get("status").asString()).isEqualTo("cancelled");
    assertThat(answerStep.get("completion_tokens").asInt()).isPositive();
    String partial = lastMessage(stored);
    assertThat(DemoReplies.full("a long answer to cancel"))
        .startsWith(partial)
        .isNotEqualTo(partial);
    assertCompleteReply(events, step, partial);
  }

  @Test
  void aCancelFrameOnASocketStopsTheGeneration() throws InterruptedException {
    String conversation = conversation(onB);
    StreamClients.Ws ws = StreamClients.Ws.connect(onB, "/ws/chat/" + conversation);
    try {
      ws.sendJson(Map.of("type", "user_message", "content", "cancel me by frame"));
      String step = ws.next().at("/data/step_id").asString();
      List<JsonNode> events = new ArrayList<>();
      while (events.stream().filter(e -> e.path("type").asString().equals("message.delta")).count()
          < 2) {
        events.add(ws.next());
      }
      ws.sendJson(Map.of("type", "cancel", "step_id", step));
      events.addAll(ws.until(finished(step)));

      assertThat(events).extracting(e -> e.get("type").asString()).contains("step.cancelled");
      assertThat(onB.awaitAnswered(conversation).get("steps").get(1).get("status").asString())
          .isEqualTo("cancelled");
    } finally {
      ws.closeBlocking();
    }
  }

  @Test
  void aClientThatDropsResumesOnTheOtherPodMissingNothing() {
    String conversation = conversation(onA);
    String step = post(onA, conversation, "drop me half way");

    List<JsonNode> before = new ArrayList<>();
    try (StreamClients.Sse sse =
        StreamClients.sse(onA, "/api/v1/conversations/" + conversation + "/events", Map.of())) {
      while (before.stream().filter(e -> e.get("type").asString().equals("message.delta")).count()
          < 4) {
        before.add(sse.next());
      }
    }
    String lastId = before.getLast().get("id").asString();

    List<JsonNode> after;
    try (StreamClients.Sse sse =
        StreamClients.sse(
            onB,
            "/api/v1/conversations/" + conversation + "/events",
            Map.of("Last-Event-ID", lastId))) {
      after = sse.until(finished(step));
    }

    List<JsonNode> all = new ArrayList<>(before);
    all.addAll(after);
    Set<Long> seqs = new HashSet<>();
    for (JsonNode event : all) {
      assertThat(seqs.add(event.get("seq").asLong())).as("seq %s twice", event.get("seq")).isTrue();
    }
    assertCompleteReply(all, step, lastMessage(onB.awaitAnswered(conversation)));
  }

  private static JsonNode awaitResponse(ApiClient api, String id, String... statuses) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (true) {
      ApiClient.Reply read = api.get("/v1/responses/" + id);
      assertThat(read.status()).as(read.raw()).isEqualTo(200);
      if (List.of(statuses).contains(read.body().get("status").asString())
          || System.nanoTime() > deadline) {
        return read.body();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void aBackgroundResponseRunsOnAWorkerAndIsPolledFromEitherPod() {
    // B has no workers: the response is queued there and answered on A.
    ApiClient.Reply created =
        onB.post("/v1/responses", "{\"background\":true,\"input\":\"hello from the background\"}");
    assertThat(created.status()).as(created.raw()).isEqualTo(200);
    assertThat(created.body().get("status").asString()).isEqualTo("queued");
    assertThat(created.body().get("background").asBoolean()).isTrue();
    assertThat(created.body().get("output")).isEmpty();
    String id = created.body().get("id").asString();

    JsonNode done = awaitResponse(onA, id, "completed", "failed");
    assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("completed");
    assertThat(done.get("background").asBoolean()).isTrue();
    assertThat(done.get("output").get(0).get("content").get(0).get("text").asString())
        .contains("hello from the background");
    assertThat(done.get("usage").get("output_tokens").asInt()).isPositive();
    assertThat(onB.get("/v1/responses/" + id).body()).isEqualTo(done);
    // Finished: a cancel changes nothing.
    ApiClient.Reply again = onB.post("/v1/responses/" + id + "/cancel", "");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("status").asString()).isEqualTo("completed");
    // It continues like any stored response.
    ApiClient.Reply next =
        onA.post(
            "/v1/responses", "{\"previous_response_id\":\"" + id + "\",\"input\":\"and then\"}");
    assertThat(next.status()).as(next.raw()).isEqualTo(200);
    ApiClient.Reply items =
        onA.get("/v1/responses/" + next.body().get("id").asString() + "/input_items");
    assertThat(items.body().get("data")).hasSize(3);
  }

  @Test
  void aBackgroundResponseIsCancelledFromThePodThatDoesNotRunIt() {
    ApiClient.Reply created =
        onB.post(
            "/v1/responses",
            "{\"background\":true,\"input\":\"a long answer to cancel from the other pod, word"
                + " after word after word after word after word after word\"}");
    assertThat(created.status()).as(created.raw()).isEqualTo(200);
    String id = created.body().get("id").asString();
    assertThat(awaitResponse(onB, id, "in_progress").get("status").asString())
        .isEqualTo("in_progress");
    // Continuing an unfinished response is refused: its answer is not there yet.
    ApiClient.Reply early =
        onB.post("/v1/responses", "{\"previous_response_id\":\"" + id + "\",\"input\":\"x\"}");
    assertThat(early.status()).isEqualTo(400);
    assertThat(early.body().get("error").get("param").asString()).isEqualTo("previous_response_id");

    ApiClient.Reply cancelled = onB.post("/v1/responses/" + id + "/cancel", "");
    assertThat(cancelled.status()).as(cancelled.raw()).isEqualTo(200);
    JsonNode stored = awaitResponse(onA, id, "cancelled", "completed");
    assertThat(stored.get("status").asString()).isEqualTo("cancelled");
  }

  @Test
  void onlyABackgroundResponseCanBeCancelledAndOnlyAStoredOneRunsInTheBackground() {
    ApiClient.Reply sync = onA.post("/v1/responses", "{\"input\":\"hi\"}");
    ApiClient.Reply refused =
        onA.post("/v1/responses/" + sync.body().get("id").asString() + "/cancel", "");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("error").get("message").asString()).contains("synchronous");

    ApiClient.Reply unstored =
        onA.post("/v1/responses", "{\"background\":true,\"store\":false,\"input\":\"hi\"}");
    assertThat(unstored.status()).isEqualTo(400);
    assertThat(unstored.body().get("error").get("param").asString()).isEqualTo("background");
    ApiClient.Reply streamed =
        onA.post("/v1/responses", "{\"background\":true,\"stream\":true,\"input\":\"hi\"}");
    assertThat(streamed.status()).isEqualTo(400);
    assertThat(streamed.body().get("error").get("code").asString())
        .isEqualTo("unsupported_parameter");
    assertThat(onB.post("/v1/responses/resp_0123/cancel", "").status()).isEqualTo(404);
  }
}
