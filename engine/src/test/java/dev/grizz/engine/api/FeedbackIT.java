package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A user's rating of an answer: stored on the step, shown with it, listed for admins. */
@EngineIT
class FeedbackIT {

  @LocalServerPort int port;
  @Autowired dev.grizz.engine.security.Accounts accounts;
  ApiClient api;
  String conversation;
  String answer;
  String question;

  @BeforeEach
  void answered() {
    api = new ApiClient(port);
    conversation =
        api.post("/api/v1/conversations", "{\"message\":\"rate me\"}").body().get("id").asString();
    JsonNode detail = api.awaitAnswered(conversation);
    question = detail.get("steps").get(0).get("id").asString();
    answer = detail.get("steps").get(1).get("id").asString();
  }

  private Reply put(ApiClient client, String step, String body) {
    return client.send(
        "/api/v1/conversations/" + conversation + "/steps/" + step + "/feedback",
        "PUT",
        body,
        "application/json");
  }

  private JsonNode answerStep() {
    return api.get("/api/v1/conversations/" + conversation).body().get("steps").get(1);
  }

  @Test
  void feedbackIsStoredOnTheAnswerShownWithItAndListedForAdmins() {
    Reply up = put(api, answer, "{\"rating\":\"up\"}");
    assertThat(up.status()).as(up.raw()).isEqualTo(200);
    assertThat(up.body().get("step_id").asString()).isEqualTo(answer);
    assertThat(up.body().at("/feedback/rating").asString()).isEqualTo("up");
    assertThat(answerStep().at("/feedback/rating").asString()).isEqualTo("up");

    Reply down = put(api, answer, "{\"rating\":\"down\",\"comment\":\"  too short  \"}");
    assertThat(down.body().at("/feedback/comment").asString()).isEqualTo("too short");
    JsonNode step = answerStep();
    assertThat(step.at("/feedback/rating").asString()).isEqualTo("down");
    assertThat(step.at("/feedback/comment").asString()).isEqualTo("too short");
    assertThat(step.at("/feedback/updated_at").asString()).isNotBlank();

    ApiClient admin = ApiClient.admin(port, accounts);
    JsonNode items = admin.get("/api/v1/admin/feedback?rating=down&limit=200").body().get("items");
    JsonNode mine = null;
    for (JsonNode item : items) {
      if (item.get("step_id").asString().equals(answer)) {
        mine = item;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(mine.get("conversation_id").asString()).isEqualTo(conversation);
    assertThat(mine.get("user_id").asString()).isEqualTo(api.userId().toString());
    assertThat(mine.get("model").asString()).isEqualTo("demo");
    assertThat(mine.get("provider").asString()).isEqualTo("demo");
    assertThat(mine.at("/feedback/comment").asString()).isEqualTo("too short");
    assertThat(admin.get("/api/v1/admin/feedback?rating=up&limit=200").body().get("items"))
        .noneMatch(item -> item.get("step_id").asString().equals(answer));

    Reply cleared = put(api, answer, "{\"rating\":null}");
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.body().get("feedback").isNull()).isTrue();
    assertThat(answerStep().has("feedback")).isFalse();
    assertThat(admin.get("/api/v1/admin/feedback?limit=200").body().get("items"))
        .noneMatch(item -> item.get("step_id").asString().equals(answer));
  }

  @Test
  void refusesWhatIsNoFeedbackAndWhoIsNotTheOwner() {
    assertThat(put(api, answer, "{\"rating\":\"meh\"}").errorCode()).isEqualTo("invalid_rating");
    assertThat(put(api, question, "{\"rating\":\"up\"}").errorCode()).isEqualTo("invalid_step");
    assertThat(put(api, answer, "{\"comment\":\"" + "x".repeat(2001) + "\"}").status())
        .isEqualTo(400);
    assertThat(put(new ApiClient(port), answer, "{\"rating\":\"up\"}").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/admin/feedback").status()).isEqualTo(403);
    assertThat(ApiClient.admin(port, accounts).get("/api/v1/admin/feedback?rating=meh").errorCode())
        .isEqualTo("invalid_rating");
    assertThat(answerStep().has("feedback")).isFalse();
  }
}
