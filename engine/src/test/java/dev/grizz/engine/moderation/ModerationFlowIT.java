package dev.grizz.engine.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.security.Accounts;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Moderation in the chat path: a blocked message is refused on every route before any model is
 * called and logged; a flagged answer is logged with its step; admins review, suspend and lift.
 */
@EngineIT
class ModerationFlowIT {

  static final String THREAT = "I'm going to kill you, you idiot";
  static final String FLAGGED = "I want to kill myself";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired Accounts accounts;

  private long usageRows(UUID user) {
    return jdbc.sql("select count(*) from llm_usage where user_id = :u")
        .param("u", user)
        .query(Long.class)
        .single();
  }

  private long violations(UUID user, String direction) {
    return jdbc.sql("select count(*) from policy_violations where user_id = :u and direction = :d")
        .param("u", user)
        .param("d", direction)
        .query(Long.class)
        .single();
  }

  @Test
  void aBlockedMessageIsRefusedOnEveryRouteBeforeAnyModelIsCalled() {
    ApiClient api = new ApiClient(port);
    UUID user = api.userId();
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();

    ApiClient.Reply rest =
        api.post(
            "/api/v1/conversations/" + conversation + "/messages",
            "{\"content\":" + api.quote(THREAT) + "}");
    assertThat(rest.status()).isEqualTo(400);
    assertThat(rest.errorCode()).isEqualTo("moderation_blocked");
    assertThat(rest.body().at("/error/details/category").asString()).startsWith("harassment");

    ApiClient.Reply create =
        api.post("/api/v1/conversations", "{\"message\":" + api.quote(THREAT) + "}");
    assertThat(create.errorCode()).isEqualTo("moderation_blocked");

    ApiClient.Reply openAi =
        api.post(
            "/v1/chat/completions",
            "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":"
                + api.quote(THREAT)
                + "}]}");
    assertThat(openAi.status()).isEqualTo(400);
    assertThat(openAi.body().at("/error/code").asString()).isEqualTo("moderation_blocked");

    ApiClient.Reply responses =
        api.post("/v1/responses", "{\"model\":\"demo\",\"input\":" + api.quote(THREAT) + "}");
    assertThat(responses.status()).isEqualTo(400);
    assertThat(responses.body().at("/error/code").asString()).isEqualTo("moderation_blocked");
    assertThat(responses.body().at("/error/param").asString()).isEqualTo("input");

    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
    try {
      ws.sendJson(Map.of("type", "user_message", "content", THREAT));
      JsonNode frame = ws.next();
      while (!frame.path("type").asString().equals("error")) {
        frame = ws.next();
      }
      assertThat(frame.at("/data/code").asString()).isEqualTo("moderation_blocked");
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      ws.close();
    }

    assertThat(usageRows(user)).isZero();
    assertThat(api.get("/api/v1/conversations/" + conversation).body().get("messages")).isEmpty();
    assertThat(api.get("/api/v1/conversations").body().get("items")).hasSize(1);
    // One per route: REST post, conversation create, chat completions, responses, WebSocket.
    assertThat(violations(user, "input")).isEqualTo(5);
  }

  @Test
  void aFlaggedAnswerIsLoggedWithItsStep() {
    ApiClient api = new ApiClient(port);
    UUID user = api.userId();
    String conversation =
        api.post("/api/v1/conversations", "{\"message\":" + api.quote(FLAGGED) + "}")
            .body()
            .get("id")
            .asString();

    JsonNode answered = api.awaitAnswered(conversation);
    JsonNode step = answered.get("steps").get(1);
    assertThat(step.at("/metadata/moderation/action").asString()).isIn("log", "flag");
    assertThat(violations(user, "output")).isEqualTo(1);
    assertThat(violations(user, "input")).isEqualTo(1);
  }

  @Test
  void adminsReviewSuspendAndLift() {
    ApiClient offender = new ApiClient(port);
    UUID offenderId = offender.userId();
    String conversation = offender.post("/api/v1/conversations", "{}").body().get("id").asString();
    offender.post(
        "/api/v1/conversations/" + conversation + "/messages",
        "{\"content\":" + offender.quote(THREAT) + "}");
    ApiClient admin = ApiClient.admin(port, accounts);

    assertThat(offender.get("/api/v1/admin/violations").status()).isEqualTo(403);
    JsonNode listed =
        admin.get("/api/v1/admin/violations?reviewed=false&user_id=" + offenderId).body();
    assertThat(listed.get("items")).hasSize(1);
    JsonNode violation = listed.get("items").get(0);
    assertThat(violation.get("action_taken").asString()).isEqualTo("block");
    assertThat(violation.get("content").asString()).doesNotContain("kill you");

    ApiClient.Reply bad =
        admin.post(
            "/api/v1/admin/violations/" + violation.get("id").asString() + "/review",
            "{\"action\":\"banish\"}");
    assertThat(bad.status()).isEqualTo(400);
    ApiClient.Reply reviewed =
        admin.post(
            "/api/v1/admin/violations/" + violation.get("id").asString() + "/review",
            "{\"action\":\"suspend\",\"note\":\"threats\"}");
    assertThat(reviewed.status()).as(reviewed.raw()).isEqualTo(200);
    assertThat(reviewed.body().get("reviewed").asBoolean()).isTrue();

    ApiClient.Reply refused = offender.get("/api/v1/conversations");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errorCode()).isEqualTo("account_suspended");
    assertThat(
            jdbc.sql(
                    "select count(*) from audit_log where target_id = :u and action = 'user.suspend'")
                .param("u", offenderId.toString())
                .query(Long.class)
                .single())
        .isEqualTo(1);

    assertThat(admin.post("/api/v1/admin/users/" + offenderId + "/unsuspend", "").status())
        .isEqualTo(200);
    assertThat(offender.get("/api/v1/conversations").status()).isEqualTo(200);
    assertThat(admin.post("/api/v1/admin/users/" + UUID.randomUUID() + "/unsuspend", "").status())
        .isEqualTo(404);
  }
}
