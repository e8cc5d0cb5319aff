package dev.grizz.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The agent loop end to end on the demo provider, offline: a tool call streams, runs as its own
 * step, and the follow-up answer uses its result — over SSE, long-poll and WebSocket; calls in
 * parallel; arguments that fail the schema; a tool that hangs; approval approved, denied and
 * expired; a cancel while a tool runs; a conversation that allows no tools.
 */
@EngineIT
class ToolLoopIT {

  @LocalServerPort int port;
  ApiClient api;

  @BeforeEach
  void client() {
    api = new ApiClient(port);
    TestTools.offerTo(api.userId());
  }

  static final Predicate<JsonNode> TURN_ENDED =
      event ->
          event.path("type").asString().equals("step.finished")
              && !event.path("data").path("continues").asBoolean(false);

  private static List<JsonNode> ofType(List<JsonNode> events, String type) {
    return events.stream().filter(e -> e.path("type").asString().equals(type)).toList();
  }

  private static String finalText(List<JsonNode> events) {
    List<JsonNode> completed = ofType(events, "message.completed");
    return completed.getLast().at("/data/text").asString();
  }

  private static String arguments(List<JsonNode> events, String callId) {
    StringBuilder args = new StringBuilder();
    for (JsonNode call : ofType(events, "tool.call")) {
      if (call.at("/data/call_id").asString().equals(callId)) {
        args.append(call.at("/data/arguments").asString());
      }
    }
    return args.toString();
  }

  private List<JsonNode> sseTurn(String message) {
    try (StreamClients.Sse sse =
        StreamClients.ssePost(
            api, "/api/v1/conversations", "{\"message\":" + api.quote(message) + "}")) {
      assertThat(sse.status).isEqualTo(201);
      return sse.until(TURN_ENDED);
    }
  }

  @Test
  void aTimeQuestionCallsTheToolOverSseAndTheAnswerUsesItsResult() {
    List<JsonNode> events = sseTurn("What time is it in Tokyo?");

    JsonNode call = ofType(events, "tool.call").getFirst();
    assertThat(call.at("/data/name").asString()).isEqualTo("current_time");
    String callId = call.at("/data/call_id").asString();
    assertThat(ofType(events, "tool.call")).hasSizeGreaterThan(1); // the arguments stream
    assertThat(arguments(events, callId)).isEqualTo("{\"timezone\":\"Asia/Tokyo\"}");
    JsonNode result = ofType(events, "tool.result").getFirst();
    assertThat(result.at("/data/status").asString()).isEqualTo("ok");
    assertThat(result.at("/data/call_id").asString()).isEqualTo(callId);
    assertThat(result.at("/data/result").asString()).contains("Asia/Tokyo");
    assertThat(result.at("/data/duration_ms").isNumber()).isTrue();
    assertThat(finalText(events)).startsWith("In Asia/Tokyo it is ");

    // Stored as the graph: input, the answer that called, the tool step, the answer after it.
    String conversation = events.getFirst().get("conversation_id").asString();
    JsonNode detail = api.get("/api/v1/conversations/" + conversation).body();
    List<String> steps = new ArrayList<>();
    detail
        .get("steps")
        .forEach(s -> steps.add(s.get("type").asString() + ":" + s.get("status").asString()));
    assertThat(steps)
        .containsExactly(
            "user_input:completed", "llm:completed", "tool:completed", "llm:completed");
    JsonNode messages = detail.get("messages");
    assertThat(messages.get(1).get("role").asString()).isEqualTo("assistant");
    assertThat(messages.get(1).at("/tool_calls/0/name").asString()).isEqualTo("current_time");
    assertThat(messages.get(2).get("role").asString()).isEqualTo("tool");
    assertThat(messages.get(2).get("tool_call_id").asString()).isEqualTo(callId);
    assertThat(messages.get(3).get("content").asString()).startsWith("In Asia/Tokyo it is ");

    // The next turn's context holds the call and its result: the model is called without error.
    api.post(
        "/api/v1/conversations/" + conversation + "/messages", "{\"content\":\"thanks, and?\"}");
    JsonNode after = api.awaitAnswered(conversation);
    assertThat(after.get("steps").get(after.get("steps").size() - 1).get("status").asString())
        .isEqualTo("completed");
  }

  @Test
  void theToolTurnStreamsOverLongPollAndWebSocket() throws InterruptedException {
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    String cursor = null;
    api.post(
        "/api/v1/conversations/" + conversation + "/messages",
        "{\"content\":\"what time is it in Paris\"}");
    List<JsonNode> polled = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (polled.stream().noneMatch(TURN_ENDED) && System.nanoTime() < deadline) {
      ApiClient.Reply reply =
          api.get(
              "/api/v1/conversations/"
                  + conversation
                  + "/events?wait=5s"
                  + (cursor == null ? "" : "&after=" + cursor));
      for (JsonNode event : reply.body()) {
        polled.add(event);
        cursor = event.get("id").asString();
      }
    }
    assertThat(ofType(polled, "tool.result")).hasSize(1);
    assertThat(finalText(polled)).startsWith("In Europe/Paris it is ");

    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
    try {
      ws.sendJson(
          Map.of(
              "type",
              "user_message",
              "content",
              "and the time in London?",
              "client_msg_id",
              "t-1"));
      // The socket first replays the conversation's latest answer; then the new message is taken.
      ws.until(e -> e.path("type").asString().equals("message.accepted"));
      List<JsonNode> events = ws.until(TURN_ENDED);
      assertThat(ofType(events, "tool.result").getFirst().at("/data/result").asString())
          .contains("Europe/London");
      assertThat(finalText(events)).startsWith("In Europe/London it is ");
    } finally {
      ws.closeBlocking();
    }
  }

  @Test
  void callsOfOneAnswerRunInParallelAndOneAnswerFollows() {
    List<JsonNode> events = sseTurn("What time is it in Tokyo and in Paris?");
    List<JsonNode> results = ofType(events, "tool.result");
    assertThat(results).hasSize(2);
    assertThat(results.stream().map(r -> r.get("step_id").asString()).distinct()).hasSize(2);
    assertThat(finalText(events)).contains("Asia/Tokyo").contains("Europe/Paris");
    assertThat(ofType(events, "step.started")).hasSize(2); // the asking answer and the follow-up
  }

  @Test
  void argumentsThatFailTheSchemaAreAnErrorTheModelReads() {
    List<JsonNode> events = sseTurn("/tool current_time {\"timezone\": 5}");
    JsonNode result = ofType(events, "tool.result").getFirst();
    assertThat(result.at("/data/status").asString()).isEqualTo("invalid_arguments");
    assertThat(finalText(events)).contains("do not match the tool's schema");

    List<JsonNode> broken = sseTurn("/tool current_time {\"timezone\": ");
    assertThat(ofType(broken, "tool.result").getFirst().at("/data/status").asString())
        .isEqualTo("invalid_arguments");
    assertThat(finalText(broken)).contains("not valid JSON");
  }

  @org.springframework.beans.factory.annotation.Autowired
  org.springframework.jdbc.core.simple.JdbcClient jdbc;

  @Test
  void aResultTheContentPolicyBlocksIsWithheldAndEveryCallIsAudited() {
    List<JsonNode> events = sseTurn("/tool loud {}");
    JsonNode result = ofType(events, "tool.result").getFirst();
    assertThat(result.at("/data/status").asString()).isEqualTo("error");
    assertThat(result.at("/data/result").asString())
        .isEqualTo("The result was withheld by the engine's content policy.");
    JsonNode blocked = ofType(events, "moderation.blocked").getFirst();
    assertThat(blocked.get("step_id").asString()).isEqualTo(result.get("step_id").asString());
    assertThat(finalText(events)).doesNotContain("idiot");
    String step = result.get("step_id").asString();
    java.util.Map<String, Object> audit =
        jdbc.sql(
                "select actor_id::text as actor, action, details::text as details from audit_log"
                    + " where target_id = :step")
            .param("step", step)
            .query()
            .singleRow();
    assertThat(audit.get("actor")).isEqualTo(api.userId().toString());
    assertThat(audit.get("action")).isEqualTo("tool.call");
    assertThat(String.valueOf(audit.get("details")))
        .contains("\"tool\": \"loud\"")
        .contains("\"outcome\": \"error\"")
        .contains("\"source\": \"test\"")
        .doesNotContain("cost_cents");
    // A built-in runs in the engine: its calls cost nothing, and the audit row says so.
    List<JsonNode> timed = sseTurn("What time is it in UTC?");
    String timeStep = ofType(timed, "tool.result").getFirst().get("step_id").asString();
    String details =
        jdbc.sql("select details::text from audit_log where target_id = :step")
            .param("step", timeStep)
            .query(String.class)
            .single();
    assertThat(details).contains("\"source\": \"builtin\"").contains("\"cost_cents\": 0");
  }

  @Test
  void aHangingToolIsStoppedAtItsTimeAndTheTurnCompletes() {
    List<JsonNode> events = sseTurn("/tool sleepy {}");
    JsonNode result = ofType(events, "tool.result").getFirst();
    assertThat(result.at("/data/status").asString()).as(result.toString()).isEqualTo("timeout");
    assertThat(finalText(events)).contains("did not answer within 300 ms");
  }

  @Test
  void aCallThatNeedsApprovalRunsOnlyOnceApproved() {
    int before = TestTools.GUARDED_RUNS.get();
    try (StreamClients.Sse sse =
        StreamClients.ssePost(api, "/api/v1/conversations", "{\"message\":\"/tool guarded {}\"}")) {
      JsonNode approval =
          sse.until(e -> e.path("type").asString().equals("tool.approval")).getLast();
      assertThat(approval.at("/data/name").asString()).isEqualTo("guarded");
      assertThat(TestTools.GUARDED_RUNS.get()).isEqualTo(before);
      String conversation = approval.get("conversation_id").asString();
      String step = approval.get("step_id").asString();
      String path = "/api/v1/conversations/" + conversation + "/steps/" + step + "/approval";

      ApiClient.Reply approved = api.post(path, "{\"approve\":true}");
      assertThat(approved.status()).isEqualTo(202);
      List<JsonNode> rest = sse.until(TURN_ENDED);
      assertThat(ofType(rest, "tool.result").getFirst().at("/data/status").asString())
          .isEqualTo("ok");
      assertThat(finalText(rest)).contains("the guarded thing was done");
      assertThat(TestTools.GUARDED_RUNS.get()).isEqualTo(before + 1);

      ApiClient.Reply again = api.post(path, "{\"approve\":true}");
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.errorCode()).isEqualTo("approval_not_pending");
    }
  }

  @Test
  void aCallIsApprovedOverTheWebSocket() throws InterruptedException {
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
    try {
      ws.sendJson(
          Map.of("type", "user_message", "content", "/tool guarded {}", "client_msg_id", "g-1"));
      JsonNode approval =
          ws.until(e -> e.path("type").asString().equals("tool.approval")).getLast();
      ws.sendJson(Map.of("type", "tool.decision", "step_id", "not-a-uuid", "approve", true));
      assertThat(
              ws.until(e -> e.path("type").asString().equals("error"))
                  .getLast()
                  .at("/data/code")
                  .asString())
          .isNotEmpty();
      ws.sendJson(
          Map.of(
              "type",
              "tool.decision",
              "step_id",
              approval.get("step_id").asString(),
              "approve",
              true));
      List<JsonNode> rest = ws.until(TURN_ENDED);
      assertThat(ofType(rest, "tool.decided")).hasSize(1);
      assertThat(ofType(rest, "tool.result").getFirst().at("/data/status").asString())
          .isEqualTo("ok");
      assertThat(finalText(rest)).contains("the guarded thing was done");
    } finally {
      ws.closeBlocking();
    }
  }

  @Test
  void aDeniedOrExpiredCallDoesNotRunAndTheModelIsTold() {
    int before = TestTools.GUARDED_RUNS.get();
    try (StreamClients.Sse sse =
        StreamClients.ssePost(api, "/api/v1/conversations", "{\"message\":\"/tool guarded {}\"}")) {
      JsonNode approval =
          sse.until(e -> e.path("type").asString().equals("tool.approval")).getLast();
      String path =
          "/api/v1/conversations/"
              + approval.get("conversation_id").asString()
              + "/steps/"
              + approval.get("step_id").asString()
              + "/approval";
      ApiClient.Reply other = ApiClient.unauthenticated(port).post(path, "{\"approve\":true}");
      assertThat(other.status()).isEqualTo(401);
      assertThat(api.post(path, "{\"approve\":false}").status()).isEqualTo(202);
      List<JsonNode> rest = sse.until(TURN_ENDED);
      assertThat(ofType(rest, "tool.result").getFirst().at("/data/status").asString())
          .isEqualTo("denied");
      assertThat(finalText(rest)).contains("The user denied this call.");
    }
    // Nobody answers: after the approval timeout (3 s in tests) the call is denied by the sweeper.
    List<JsonNode> expired = sseTurn("/tool guarded {}");
    assertThat(ofType(expired, "tool.result").getFirst().at("/data/result").asString())
        .contains("did not approve this call in time");
    assertThat(TestTools.GUARDED_RUNS.get()).isEqualTo(before);
  }

  @Test
  void aCancelStopsARunningToolAndEndsTheTurn() {
    try (StreamClients.Sse sse =
        StreamClients.ssePost(api, "/api/v1/conversations", "{\"message\":\"/tool slow {}\"}")) {
      List<JsonNode> first = sse.until(e -> e.path("type").asString().equals("step.finished"));
      String conversation = first.getFirst().get("conversation_id").asString();
      String asking = first.getFirst().get("step_id").asString();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                JsonNode steps =
                    api.get("/api/v1/conversations/" + conversation).body().get("steps");
                JsonNode last = steps.get(steps.size() - 1);
                return last.get("type").asString().equals("tool")
                    && last.get("status").asString().equals("running");
              });
      ApiClient.Reply cancelled =
          api.post("/api/v1/conversations/" + conversation + "/steps/" + asking + "/cancel", "{}");
      assertThat(cancelled.status()).isEqualTo(202);
      List<JsonNode> rest = sse.until(TURN_ENDED);
      assertThat(ofType(rest, "tool.result").getFirst().at("/data/status").asString())
          .isEqualTo("cancelled");
      assertThat(rest.getLast().at("/data/status").asString()).isEqualTo("cancelled");
      JsonNode steps = api.awaitAnswered(conversation).get("steps");
      assertThat(steps.get(steps.size() - 1).get("type").asString()).isEqualTo("tool");
    }
  }

  @Test
  void aConversationThatAllowsNoToolsGetsAnAnswerInWords() {
    try (StreamClients.Sse sse =
        StreamClients.ssePost(
            api,
            "/api/v1/conversations",
            "{\"message\":\"What time is it in Tokyo?\",\"settings\":{\"tools\":[]}}")) {
      List<JsonNode> events = sse.until(TURN_ENDED);
      assertThat(ofType(events, "tool.call")).isEmpty();
      assertThat(finalText(events)).startsWith("Hello! I am the demo provider");
    }
  }
}
