package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.usage.Budgets;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The step graph's branches through the API (issue 22): an answer regenerated as a version beside
 * it, a message edited into a branch beside it, the active branch that new messages follow and a
 * client switches, and what the detail view gives a client to draw them.
 */
@EngineIT
class BranchesIT {

  static final Predicate<JsonNode> TURN_ENDED =
      event ->
          event.path("type").asString().equals("step.finished")
              && !event.path("data").path("continues").asBoolean(false);

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired Budgets budgets;
  ApiClient api;

  @BeforeEach
  void client() {
    api = new ApiClient(port);
  }

  private String conversation() {
    return api.post("/api/v1/conversations", "{}").body().get("id").asString();
  }

  private JsonNode post(String id, String body) {
    Reply posted = api.post("/api/v1/conversations/" + id + "/messages", body);
    assertThat(posted.status()).as(posted.raw()).isEqualTo(202);
    awaitSettled(id);
    return posted.body();
  }

  private JsonNode say(String id, String text) {
    return post(id, "{\"content\":" + api.quote(text) + "}");
  }

  /** The conversation once no step of it is queued, running or waiting. */
  private JsonNode awaitSettled(String id) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode detail = api.get("/api/v1/conversations/" + id).body();
      boolean open = false;
      for (JsonNode step : detail.get("steps")) {
        open |= List.of("queued", "running", "waiting").contains(step.get("status").asString());
      }
      if (!open) {
        return detail;
      }
      sleep();
    }
    throw new AssertionError("conversation " + id + " did not settle");
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Reply regenerate(String id, String stepId) {
    return api.post("/api/v1/conversations/" + id + "/steps/" + stepId + "/regenerate", "{}");
  }

  private static JsonNode step(JsonNode detail, String stepId) {
    for (JsonNode step : detail.get("steps")) {
      if (step.get("id").asString().equals(stepId)) {
        return step;
      }
    }
    throw new AssertionError("no step " + stepId);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asString()));
    return values;
  }

  /** The contents of the messages of the active branch, oldest first. */
  private static List<String> shown(JsonNode detail) {
    List<String> branch = strings(detail.get("active_branch"));
    List<String> shown = new ArrayList<>();
    for (JsonNode message : detail.get("messages")) {
      if (branch.contains(message.get("step_id").asString())) {
        shown.add(message.get("role").asString() + ":" + message.get("content").asString());
      }
    }
    return shown;
  }

  @Test
  void aConversationNeverBranchedIsOneBranchOfEveryStep() {
    String id = conversation();
    assertThat(api.get("/api/v1/conversations/" + id).body().get("active_step_id").isNull())
        .isTrue();
    say(id, "one");
    say(id, "two");

    JsonNode detail = api.get("/api/v1/conversations/" + id).body();
    List<String> ids = new ArrayList<>();
    detail.get("steps").forEach(s -> ids.add(s.get("id").asString()));
    assertThat(ids).hasSize(4);
    assertThat(strings(detail.get("active_branch"))).isEqualTo(ids);
    assertThat(detail.get("active_step_id").asString()).isEqualTo(ids.get(3));
    for (JsonNode step : detail.get("steps")) {
      assertThat(strings(step.get("sibling_ids"))).containsExactly(step.get("id").asString());
    }
    assertThat(detail.get("messages").size()).isEqualTo(4);
  }

  @Test
  void regeneratingAnAnswerMakesAVersionBesideItFromTheSamePath() {
    String id = conversation();
    say(id, "one");
    JsonNode first = say(id, "two");
    String input = first.get("user_step_id").asString();
    String v1 = first.get("step_id").asString();

    Reply made = regenerate(id, v1);

    assertThat(made.status()).as(made.raw()).isEqualTo(202);
    assertThat(made.header("RateLimit-Limit")).isNotNull();
    String v2 = made.body().get("step_id").asString();
    assertThat(made.body().get("user_step_id").asString()).isEqualTo(input);
    assertThat(made.body().get("version_of").asString()).isEqualTo(v1);
    JsonNode detail = awaitSettled(id);
    assertThat(step(detail, v2).get("parent_step_id").asString()).isEqualTo(input);
    assertThat(step(detail, v2).get("type").asString()).isEqualTo("llm");
    assertThat(step(detail, v2).get("status").asString()).isEqualTo("completed");
    assertThat(strings(step(detail, v1).get("sibling_ids"))).containsExactly(v1, v2);
    assertThat(strings(step(detail, v2).get("sibling_ids"))).containsExactly(v1, v2);
    // The question is not posted again, and the new version read the path the old one read.
    long questions = 0;
    for (JsonNode m : detail.get("messages")) {
      questions += m.get("role").asString().equals("user") ? 1 : 0;
    }
    assertThat(questions).isEqualTo(2);
    assertThat(step(detail, v2).get("prompt_tokens").asInt())
        .isEqualTo(step(detail, v1).get("prompt_tokens").asInt());
    assertThat(detail.get("active_step_id").asString()).isEqualTo(v2);
    assertThat(strings(detail.get("active_branch"))).contains(input, v2).doesNotContain(v1);
    assertThat(shown(detail)).hasSize(4).last().asString().startsWith("assistant:");

    // The next message follows the new version.
    JsonNode next = say(id, "three");
    JsonNode after = api.get("/api/v1/conversations/" + id).body();
    assertThat(step(after, next.get("user_step_id").asString()).get("parent_step_id").asString())
        .isEqualTo(v2);
  }

  @Test
  void aRegeneratedAnswerStreamsLikeAPostedMessage() {
    String id = conversation();
    String v1 = say(id, "hello").get("step_id").asString();

    List<JsonNode> events;
    try (StreamClients.Sse sse =
        StreamClients.ssePost(
            api, "/api/v1/conversations/" + id + "/steps/" + v1 + "/regenerate", "{}")) {
      assertThat(sse.status).isEqualTo(202);
      events = sse.until(TURN_ENDED);
    }
    String v2 = events.getLast().get("step_id").asString();
    assertThat(v2).isNotEqualTo(v1);
    assertThat(
            events.stream()
                .filter(e -> e.path("type").asString().equals("message.completed"))
                .findFirst()
                .orElseThrow()
                .at("/data/text")
                .asString())
        .contains("demo provider");
  }

  @Test
  void refusesToRegenerateWhatCannotBe() {
    String id = conversation();
    JsonNode turn = say(id, "hello");
    String answer = turn.get("step_id").asString();

    Reply question = regenerate(id, turn.get("user_step_id").asString());
    assertThat(question.status()).isEqualTo(400);
    assertThat(question.errorCode()).isEqualTo("invalid_step");

    jdbc.sql("update steps set status = 'running' where id = :id")
        .param("id", UUID.fromString(answer))
        .update();
    Reply running = regenerate(id, answer);
    assertThat(running.status()).isEqualTo(409);
    assertThat(running.errorCode()).isEqualTo("step_running");
    jdbc.sql("update steps set status = 'completed' where id = :id")
        .param("id", UUID.fromString(answer))
        .update();

    ApiClient other = new ApiClient(port);
    Reply foreign =
        other.post("/api/v1/conversations/" + id + "/steps/" + answer + "/regenerate", "{}");
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(regenerate(id, UUID.randomUUID().toString()).status()).isEqualTo(404);
    assertThat(regenerate(conversation(), answer).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/conversations/" + id).body().get("steps").size())
        .as("nothing was made")
        .isEqualTo(2);
  }

  @Test
  void aSpentBudgetRefusesANewVersionAsItRefusesAMessage() {
    String id = conversation();
    String answer = say(id, "hello").get("step_id").asString();
    budgets.setLimits(api.userId(), new Budgets.Limits(BigDecimal.ZERO, null, null));
    try {
      Reply refused = regenerate(id, answer);
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.errorCode()).isEqualTo("budget_exceeded");
    } finally {
      budgets.setLimits(api.userId(), new Budgets.Limits(null, null, null));
    }
    assertThat(api.get("/api/v1/conversations/" + id).body().get("steps").size()).isEqualTo(2);
  }

  @Test
  void editingAMessageBranchesBesideItAndTheBranchesCanBeSwitched() {
    String id = conversation();
    JsonNode one = say(id, "one");
    JsonNode two = say(id, "two");
    String a1 = one.get("step_id").asString();

    // Edit "two": post after its parent, the answer to "one".
    JsonNode edited = post(id, "{\"content\":\"two, edited\",\"parent_step_id\":\"" + a1 + "\"}");

    JsonNode detail = api.get("/api/v1/conversations/" + id).body();
    String u2 = two.get("user_step_id").asString();
    String u2b = edited.get("user_step_id").asString();
    assertThat(step(detail, u2b).get("parent_step_id").asString()).isEqualTo(a1);
    assertThat(strings(step(detail, u2).get("sibling_ids"))).containsExactly(u2, u2b);
    assertThat(detail.get("active_step_id").asString()).isEqualTo(edited.get("step_id").asString());
    assertThat(shown(detail))
        .hasSize(4)
        .contains("user:one", "user:two, edited")
        .doesNotContain("user:two");
    assertThat(detail.get("messages").size()).as("every branch's messages").isEqualTo(6);

    // Back to the first "two": the leaf is the newest step under it, its answer.
    Reply switched =
        api.patch("/api/v1/conversations/" + id, "{\"active_step_id\":\"" + u2 + "\"}");
    assertThat(switched.status()).as(switched.raw()).isEqualTo(200);
    assertThat(switched.body().get("active_step_id").asString())
        .isEqualTo(two.get("step_id").asString());
    JsonNode back = api.get("/api/v1/conversations/" + id).body();
    assertThat(shown(back)).contains("user:two").doesNotContain("user:two, edited");

    // A message posted now follows that branch.
    JsonNode three = say(id, "three");
    JsonNode after = api.get("/api/v1/conversations/" + id).body();
    assertThat(step(after, three.get("user_step_id").asString()).get("parent_step_id").asString())
        .isEqualTo(two.get("step_id").asString());
    assertThat(shown(after)).hasSize(6).contains("user:two", "user:three");

    // Switching to the edited branch's message finds that branch's leaf.
    JsonNode again =
        api.patch("/api/v1/conversations/" + id, "{\"active_step_id\":\"" + u2b + "\"}").body();
    assertThat(again.get("active_step_id").asString()).isEqualTo(edited.get("step_id").asString());
  }

  @Test
  void theFirstMessageCanBeEditedFromTheRoot() {
    String id = conversation();
    JsonNode one = say(id, "one");
    say(id, "two");

    JsonNode edited = post(id, "{\"content\":\"uno\",\"parent_step_id\":\"root\"}");

    JsonNode detail = api.get("/api/v1/conversations/" + id).body();
    String root = one.get("user_step_id").asString();
    String newRoot = edited.get("user_step_id").asString();
    assertThat(step(detail, newRoot).get("parent_step_id").isNull()).isTrue();
    assertThat(strings(step(detail, root).get("sibling_ids"))).containsExactly(root, newRoot);
    assertThat(shown(detail)).hasSize(2).first().isEqualTo("user:uno");
  }

  @Test
  void refusesAParentOrABranchThatIsNotOne() {
    String id = conversation();
    JsonNode turn = say(id, "one");
    String otherConversation = conversation();
    String foreignAnswer = say(otherConversation, "elsewhere").get("step_id").asString();

    for (String parent :
        List.of(
            turn.get("user_step_id").asString(),
            foreignAnswer,
            UUID.randomUUID().toString(),
            "not-a-step")) {
      Reply refused =
          api.post(
              "/api/v1/conversations/" + id + "/messages",
              "{\"content\":\"x\",\"parent_step_id\":\"" + parent + "\"}");
      assertThat(refused.status()).as(parent).isEqualTo(400);
      assertThat(refused.errorCode()).isEqualTo("invalid_parent_step_id");
      assertThat(refused.body().at("/error/param").asString()).isEqualTo("parent_step_id");
    }
    for (String active : List.of(foreignAnswer, UUID.randomUUID().toString())) {
      Reply refused =
          api.patch("/api/v1/conversations/" + id, "{\"active_step_id\":\"" + active + "\"}");
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.errorCode()).isEqualTo("invalid_active_step_id");
      assertThat(refused.body().at("/error/param").asString()).isEqualTo("active_step_id");
    }
    assertThat(api.get("/api/v1/conversations/" + id).body().get("steps").size()).isEqualTo(2);
  }

  @Test
  void aSummaryUnderAnAnswerIsNeitherTheLeafNorOnTheBranch() {
    String id = conversation();
    JsonNode one = say(id, "one");
    String answer = one.get("step_id").asString();
    // A rolling summary as the summariser leaves it: a child of the last step it covers, newer.
    UUID summary = UUID.randomUUID();
    jdbc.sql(
            """
            insert into steps (id, task_id, parent_step_id, type, status, created_at, updated_at)
            values (:id, :task, :parent, 'summary', 'completed', now() + interval '1 second',
                now() + interval '1 second')
            """)
        .param("id", summary)
        .param("task", UUID.fromString(id))
        .param("parent", UUID.fromString(answer))
        .update();

    JsonNode detail = api.get("/api/v1/conversations/" + id).body();
    assertThat(detail.get("active_step_id").asString()).isEqualTo(answer);
    assertThat(strings(detail.get("active_branch"))).doesNotContain(summary.toString());
    JsonNode two = say(id, "two");
    assertThat(
            step(api.get("/api/v1/conversations/" + id).body(), two.get("user_step_id").asString())
                .get("parent_step_id")
                .asString())
        .isEqualTo(answer);
    // A summary running under a turn does not hold its answers back from a new version.
    jdbc.sql("update steps set status = 'running' where id = :id").param("id", summary).update();
    assertThat(regenerate(id, answer).status()).isEqualTo(202);
    awaitSettledBut(id, summary);
  }

  /** As {@link #awaitSettled}, but for a step left running on purpose. */
  private void awaitSettledBut(String id, UUID running) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      boolean open = false;
      for (JsonNode step : api.get("/api/v1/conversations/" + id).body().get("steps")) {
        open |=
            !step.get("id").asString().equals(running.toString())
                && List.of("queued", "running").contains(step.get("status").asString());
      }
      if (!open) {
        jdbc.sql("update steps set status = 'completed' where id = :id")
            .param("id", running)
            .update();
        return;
      }
      sleep();
    }
    throw new AssertionError("conversation " + id + " did not settle");
  }

  @Test
  void aToolTurnCanBeRegeneratedAndTheConversationGoesOnFromTheNewVersion() {
    List<JsonNode> events;
    try (StreamClients.Sse sse =
        StreamClients.ssePost(
            api, "/api/v1/conversations", "{\"message\":\"What time is it in Tokyo?\"}")) {
      events = sse.until(TURN_ENDED);
    }
    String id = events.getFirst().get("conversation_id").asString();
    JsonNode before = awaitSettled(id);
    List<String> types = new ArrayList<>();
    before.get("steps").forEach(s -> types.add(s.get("type").asString()));
    assertThat(types).containsExactly("user_input", "llm", "tool", "llm");
    String input = before.get("steps").get(0).get("id").asString();
    String called = before.get("steps").get(1).get("id").asString();
    String finalAnswer = before.get("steps").get(3).get("id").asString();
    assertThat(before.get("active_step_id").asString()).isEqualTo(finalAnswer);

    // The final answer (a follow-up) is regenerated: the whole turn is answered again.
    List<JsonNode> again;
    try (StreamClients.Sse sse =
        StreamClients.ssePost(
            api, "/api/v1/conversations/" + id + "/steps/" + finalAnswer + "/regenerate", "{}")) {
      assertThat(sse.status).isEqualTo(202);
      again = sse.until(TURN_ENDED);
    }
    assertThat(again.stream().filter(e -> e.path("type").asString().equals("tool.result")))
        .hasSize(1);
    JsonNode detail = awaitSettled(id);
    assertThat(detail.get("steps").size()).isEqualTo(7);
    String called2 = detail.get("steps").get(4).get("id").asString();
    assertThat(step(detail, called2).get("parent_step_id").asString()).isEqualTo(input);
    assertThat(strings(step(detail, called).get("sibling_ids"))).containsExactly(called, called2);
    String leaf = detail.get("active_step_id").asString();
    assertThat(leaf).isEqualTo(detail.get("steps").get(6).get("id").asString());
    List<String> branch = strings(detail.get("active_branch"));
    assertThat(branch).hasSize(4).contains(input, called2, leaf).doesNotContain(called);
    assertThat(shown(detail)).hasSize(4).last().asString().startsWith("assistant:In Asia/Tokyo");

    // The next message follows the new version's last answer.
    JsonNode next = say(id, "thanks");
    JsonNode after = api.get("/api/v1/conversations/" + id).body();
    assertThat(step(after, next.get("user_step_id").asString()).get("parent_step_id").asString())
        .isEqualTo(leaf);
    assertThat(step(after, next.get("step_id").asString()).get("status").asString())
        .isEqualTo("completed");
  }
}
