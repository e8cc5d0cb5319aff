package dev.grizz.engine.api;

import static dev.grizz.engine.StreamClients.assertCompleteReply;
import static dev.grizz.engine.StreamClients.finished;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** One reply, streamed over each transport, arrives complete and in order. */
@EngineIT
class StreamingIT {

  @LocalServerPort int port;
  ApiClient api;
  String conversation;

  @BeforeEach
  void setUp() {
    api = new ApiClient(port);
    conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
  }

  private String post(String content) {
    ApiClient.Reply posted =
        api.post(
            "/api/v1/conversations/" + conversation + "/messages",
            "{\"content\":\"" + content + "\"}");
    assertThat(posted.status()).isEqualTo(202);
    return posted.body().get("step_id").asString();
  }

  private String storedAnswer() {
    JsonNode messages = api.awaitAnswered(conversation).get("messages");
    return messages.get(messages.size() - 1).get("content").asString();
  }

  @Test
  void sseDeliversTheReplyCompleteAndInOrder() {
    String step = post("stream me over SSE");
    try (StreamClients.Sse sse =
        StreamClients.sse(api, "/api/v1/conversations/" + conversation + "/events", Map.of())) {
      assertThat(sse.status).isEqualTo(200);
      List<JsonNode> events = sse.until(finished(step));
      assertCompleteReply(events, step, storedAnswer());
      assertThat(events)
          .extracting(e -> e.get("type").asString())
          .contains("message.completed", "usage");
    }
  }

  @Test
  void longPollDeliversTheReplyCompleteAndInOrder() {
    String step = post("stream me by long-poll");
    List<JsonNode> events = StreamClients.longPoll(api, conversation, step);
    assertCompleteReply(events, step, storedAnswer());
  }

  @Test
  void webSocketAnswersAUserMessage() throws InterruptedException {
    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
    try {
      ws.sendJson(
          Map.of("type", "user_message", "content", "over the socket", "client_msg_id", "c-1"));
      JsonNode accepted = ws.next();
      assertThat(accepted.get("type").asString()).isEqualTo("message.accepted");
      String step = accepted.at("/data/step_id").asString();
      List<JsonNode> events = ws.until(finished(step));
      assertCompleteReply(events, step, storedAnswer());

      ws.sendJson(Map.of("type", "ping"));
      assertThat(ws.next().get("type").asString()).isEqualTo("pong");
    } finally {
      ws.closeBlocking();
    }
  }

  @Test
  void aWebSocketMessageCanEditABranchAndIsCheckedAsAPostIs() throws InterruptedException {
    String a1 = post("one");
    storedAnswer();
    String a2 = post("two");
    storedAnswer();
    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
    try {
      // Edit "two" over the socket: the new message goes after "one"'s answer, beside "two".
      ws.sendJson(Map.of("type", "user_message", "content", "two, edited", "parent_step_id", a1));
      JsonNode accepted = ws.next();
      while (!accepted.path("type").asString().equals("message.accepted")) {
        accepted = ws.next();
      }
      String step = accepted.at("/data/step_id").asString();
      ws.until(finished(step));
      JsonNode detail = api.get("/api/v1/conversations/" + conversation).body();
      String userStep = stepOf(detail, step).get("parent_step_id").asString();
      assertThat(stepOf(detail, userStep).get("parent_step_id").asString()).isEqualTo(a1);
      assertThat(detail.get("active_step_id").asString()).isEqualTo(step).isNotEqualTo(a2);

      ws.sendJson(Map.of("type", "user_message", "content", "x", "parent_step_id", "nope"));
      assertThat(ws.next().at("/data/code").asString()).isEqualTo("invalid_parent_step_id");
      ws.sendJson(Map.of("type", "user_message", "content", "x", "images", "a.png"));
      assertThat(ws.next().at("/data/code").asString()).isEqualTo("invalid_request");
      ws.sendJson(Map.of("type", "user_message", "content", "x", "images", List.of("ftp://x")));
      assertThat(ws.next().at("/data/code").asString()).isEqualTo("invalid_value");
    } finally {
      ws.closeBlocking();
    }
  }

  private static JsonNode stepOf(JsonNode detail, String stepId) {
    for (JsonNode step : detail.get("steps")) {
      if (step.get("id").asString().equals(stepId)) {
        return step;
      }
    }
    throw new AssertionError("no step " + stepId);
  }

  @Test
  void aWebSocketResumesFromTheIdItIsGiven() throws InterruptedException {
    String step = post("resume me on a socket");
    String stored = storedAnswer();
    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
    try {
      List<JsonNode> all = ws.until(finished(step));
      String cut = all.get(3).get("id").asString();

      ws.sendJson(Map.of("type", "resume", "last_event_id", cut));
      List<JsonNode> replay = ws.until(finished(step));

      assertThat(replay.getFirst().get("id").asString()).isGreaterThan(cut);
      List<JsonNode> joined = new java.util.ArrayList<>(all.subList(0, 4));
      joined.addAll(replay);
      assertCompleteReply(joined, step, stored);
    } finally {
      ws.closeBlocking();
    }
    StreamClients.Ws resumed =
        StreamClients.Ws.connect(api, "/ws/chat/" + conversation + "?last_event_id=" + "0-0");
    try {
      assertCompleteReply(resumed.until(finished(step)), step, stored);
    } finally {
      resumed.closeBlocking();
    }
  }

  @Test
  void aResumeWithABadCursorAnswersAnErrorFrameAndKeepsTheSocket() throws InterruptedException {
    String step = post("keep streaming after a bad resume");
    String stored = storedAnswer();
    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
    try {
      List<JsonNode> all = ws.until(finished(step));
      for (String bad : List.of("not-a-cursor", "9223372036854775807-9223372036854775807")) {
        ws.sendJson(Map.of("type", "resume", "last_event_id", bad));
        assertThat(ws.next().at("/data/code").asString()).isEqualTo("invalid_cursor");
      }
      // Still open and still following: no close 1001, and a good resume replays as usual.
      ws.sendJson(Map.of("type", "ping"));
      assertThat(ws.next().get("type").asString()).isEqualTo("pong");
      ws.sendJson(Map.of("type", "resume", "last_event_id", all.get(1).get("id").asString()));
      List<JsonNode> replay = ws.until(finished(step));
      List<JsonNode> joined = new java.util.ArrayList<>(all.subList(0, 2));
      joined.addAll(replay);
      assertCompleteReply(joined, step, stored);
      assertThat(ws.isOpen()).isTrue();
    } finally {
      ws.closeBlocking();
    }
  }

  @Test
  void aWebSocketAnswersBadFramesWithErrors() throws InterruptedException {
    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
    try {
      ws.send("not json");
      assertThat(ws.next().at("/data/code").asString()).isEqualTo("malformed_json");
      ws.sendJson(Map.of("type", "user_message", "content", " "));
      assertThat(ws.next().at("/data/code").asString()).isEqualTo("content_empty");
      ws.sendJson(Map.of("type", "dance"));
      assertThat(ws.next().at("/data/code").asString()).isEqualTo("unknown_frame");
      ws.sendJson(Map.of("type", "cancel", "step_id", UUID.randomUUID().toString()));
      assertThat(ws.next().at("/data/code").asString()).isEqualTo("not_found");
    } finally {
      ws.closeBlocking();
    }
    StreamClients.Ws unknown = StreamClients.Ws.connect(api, "/ws/chat/" + UUID.randomUUID());
    assertThat(unknown.next().at("/data/code").asString()).isEqualTo("not_found");
  }

  @Test
  void aStreamingPostAnswersInOneRequest() {
    try (StreamClients.Sse sse =
        StreamClients.ssePost(
            api,
            "/api/v1/conversations/" + conversation + "/messages",
            "{\"content\":\"one call\"}")) {
      assertThat(sse.status).isEqualTo(202);
      JsonNode first = sse.next();
      String step = first.get("step_id").asString();
      List<JsonNode> rest = sse.until(finished(step));
      rest.addFirst(first);
      assertCompleteReply(rest, step, storedAnswer());
    }
  }

  @Test
  void aStreamingPostAfterEarlierAnswersStreamsOnlyItsOwn() {
    post("first");
    api.awaitAnswered(conversation);
    post("second");
    api.awaitAnswered(conversation);

    try (StreamClients.Sse sse =
        StreamClients.ssePost(
            api,
            "/api/v1/conversations/" + conversation + "/messages",
            "{\"content\":\"third\"}")) {
      JsonNode first = sse.next();
      String step = first.get("step_id").asString();
      List<JsonNode> rest = sse.until(finished(step));
      rest.addFirst(first);

      assertThat(first.get("type").asString()).isEqualTo("step.started");
      assertThat(rest).allSatisfy(e -> assertThat(e.get("step_id").asString()).isEqualTo(step));
      assertCompleteReply(rest, step, storedAnswer());
    }
  }

  @Test
  void resendingAClientMessageIdQueuesNothingNew() {
    String body = "{\"content\":\"only once\",\"client_msg_id\":\"retry-1\"}";
    String first =
        api.post("/api/v1/conversations/" + conversation + "/messages", body)
            .body()
            .get("step_id")
            .asString();
    String second =
        api.post("/api/v1/conversations/" + conversation + "/messages", body)
            .body()
            .get("step_id")
            .asString();

    assertThat(second).isEqualTo(first);
    assertThat(api.awaitAnswered(conversation).get("messages").size()).isEqualTo(2);
  }

  @Test
  void rejectsBadCursorsAndWaits() {
    String events = "/api/v1/conversations/" + conversation + "/events";
    assertThat(api.get(events + "?after=nope").errorCode()).isEqualTo("invalid_cursor");
    assertThat(api.get(events + "?wait=forever").errorCode()).isEqualTo("invalid_wait");
    assertThat(api.get(events + "?wait=90s").errorCode()).isEqualTo("invalid_wait");
    assertThat(api.get("/api/v1/conversations/" + UUID.randomUUID() + "/events").status())
        .isEqualTo(404);
  }

  @Test
  void cancellingAnUnknownStepIs404() {
    assertThat(
            api.post(
                    "/api/v1/conversations/"
                        + conversation
                        + "/steps/"
                        + UUID.randomUUID()
                        + "/cancel",
                    "")
                .status())
        .isEqualTo(404);
  }
}
