package dev.grizz.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Long-term memory through the API and the demo provider: what a user keeps, what the model keeps
 * with the remember tool (at once, or as a proposal in mode confirm), what an answer recalls and
 * says it used, and that nothing of one user's reaches another.
 */
@EngineIT
class MemoriesIT {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired Memories memories;
  @Autowired MemoryRecall recall;

  @Test
  void aUserKeepsEditsAndDeletesTheirMemoriesAndBadInputIsRefusedByCode() {
    ApiClient api = new ApiClient(port);
    ApiClient.Reply added = api.post("/api/v1/memories", "{\"content\":\"  I live in Lyon. \"}");
    assertThat(added.status()).isEqualTo(201);
    assertThat(added.body().get("content").asString()).isEqualTo("I live in Lyon.");
    assertThat(added.body().get("source").asString()).isEqualTo("user");
    assertThat(added.body().get("status").asString()).isEqualTo("active");
    String id = added.body().get("id").asString();
    // The same words again are the same memory.
    assertThat(api.post("/api/v1/memories", "{\"content\":\"I live in Lyon.\"}").body().get("id"))
        .isEqualTo(added.body().get("id"));

    ApiClient.Reply edited =
        api.patch("/api/v1/memories/" + id, "{\"content\":\"I live in Grenoble.\"}");
    assertThat(edited.status()).isEqualTo(200);
    assertThat(contents(api)).containsExactly("I live in Grenoble.");

    assertThat(api.post("/api/v1/memories", "{\"content\":\"   \"}").errorCode())
        .isEqualTo("memory_empty");
    assertThat(
            api.post("/api/v1/memories", "{\"content\":" + api.quote("x".repeat(1001)) + "}")
                .errorCode())
        .isEqualTo("memory_too_long");
    assertThat(api.patch("/api/v1/memories/" + id, "{\"status\":\"proposed\"}").errorCode())
        .isEqualTo("invalid_memory_status");
    assertThat(api.patch("/api/v1/memories/" + id, "{}").errorCode())
        .isEqualTo("nothing_to_update");
    assertThat(api.get("/api/v1/memories?status=forgotten").errorCode())
        .isEqualTo("invalid_memory_status");

    assertThat(api.delete("/api/v1/memories/" + id).status()).isEqualTo(204);
    assertThat(api.delete("/api/v1/memories/" + id).status()).isEqualTo(404);
    assertThat(contents(api)).isEmpty();
  }

  @Test
  void anotherUserNeitherSeesNorChangesNorRecallsThem() {
    ApiClient owner = new ApiClient(port);
    String id =
        owner
            .post("/api/v1/memories", "{\"content\":\"My locker code is 4711.\"}")
            .body()
            .get("id")
            .asString();
    ApiClient other = new ApiClient(port);

    assertThat(contents(other)).isEmpty();
    assertThat(other.patch("/api/v1/memories/" + id, "{\"content\":\"mine now\"}").status())
        .isEqualTo(404);
    assertThat(other.delete("/api/v1/memories/" + id).status()).isEqualTo(404);
    JsonNode answer = answer(other, "What is my locker code?");
    assertThat(answer.get("metadata").has("memories_used")).isFalse();
    assertThat(contents(owner)).containsExactly("My locker code is 4711.");
  }

  @Test
  void theModelKeepsWhatItIsToldToRememberAndALaterConversationRecallsIt() {
    ApiClient api = new ApiClient(port);
    answer(api, "Remember that my cat is called Miso.");
    JsonNode kept = api.get("/api/v1/memories").body().get("items").get(0);
    assertThat(kept.get("content").asString()).isEqualTo("my cat is called Miso");
    assertThat(kept.get("source").asString()).isEqualTo("model");
    assertThat(kept.get("status").asString()).isEqualTo("active");
    assertThat(kept.get("conversation_id").isNull()).isFalse();

    JsonNode answer = answer(api, "What is my cat called?");

    JsonNode used = answer.get("metadata").get("memories_used");
    assertThat(used).hasSize(1);
    assertThat(used.get(0).get("id")).isEqualTo(kept.get("id"));
    assertThat(recall.recall(api.userId(), "What is my cat called?").note())
        .contains("\n- my cat is called Miso");
  }

  @Test
  void inModeConfirmTheModelOnlyProposesAndTheUserConfirms() {
    ApiClient api = new ApiClient(port);
    assertThat(api.get("/api/v1/memories/settings").body().get("mode").asString())
        .isEqualTo("auto");
    assertThat(
            api.send(
                    "/api/v1/memories/settings",
                    "PUT",
                    "{\"mode\":\"confirm\"}",
                    "application/json")
                .status())
        .isEqualTo(200);

    answer(api, "Remember that I prefer short answers.");
    JsonNode proposed = api.get("/api/v1/memories?status=proposed").body().get("items").get(0);
    assertThat(proposed.get("status").asString()).isEqualTo("proposed");
    // A proposal is not recalled until it is confirmed.
    assertThat(answer(api, "Do I prefer short answers?").get("metadata").has("memories_used"))
        .isFalse();

    String id = proposed.get("id").asString();
    assertThat(
            api.patch("/api/v1/memories/" + id, "{\"status\":\"active\"}")
                .body()
                .get("status")
                .asString())
        .isEqualTo("active");
    assertThat(answer(api, "Do I prefer short answers?").get("metadata").has("memories_used"))
        .isTrue();
  }

  @Test
  void inModeOffNothingIsOfferedOrRecalledAndTheModeIsChecked() {
    ApiClient api = new ApiClient(port);
    api.post("/api/v1/memories", "{\"content\":\"I speak French.\"}");
    assertThat(
            api.send(
                    "/api/v1/memories/settings",
                    "PUT",
                    "{\"mode\":\"sometimes\"}",
                    "application/json")
                .errorCode())
        .isEqualTo("invalid_memory_mode");
    api.send("/api/v1/memories/settings", "PUT", "{\"mode\":\"off\"}", "application/json");

    JsonNode answer = answer(api, "Remember that I speak French too.");

    assertThat(answer.get("metadata").has("memories_used")).isFalse();
    assertThat(recall.recall(api.userId(), "Do I speak French?").used()).isEmpty();
    assertThat(contents(api)).containsExactly("I speak French.");
  }

  @Test
  void exportHoldsTheMemoriesAndErasureDeletesThem() {
    ApiClient api = new ApiClient(port);
    api.post("/api/v1/memories", "{\"content\":\"I was born in 1990.\"}");
    String user = api.userId().toString();

    JsonNode export = api.get("/api/v1/users/" + user + "/export").body();
    assertThat(export.get("memories").get(0).get("content").asString())
        .isEqualTo("I was born in 1990.");
    assertThat(export.get("memory_mode").asString()).isEqualTo("auto");

    JsonNode erased = api.delete("/api/v1/users/" + user).body();
    assertThat(erased.get("memories_deleted").asInt()).isEqualTo(1);
    assertThat(
            jdbc.sql("select count(*) from memories where user_id = cast(:u as uuid)")
                .param("u", user)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void retentionDeletesMemoriesUntouchedForItsAge() {
    ApiClient api = new ApiClient(port);
    String old =
        api.post("/api/v1/memories", "{\"content\":\"An old fact.\"}").body().get("id").asString();
    api.post("/api/v1/memories", "{\"content\":\"A fresh fact.\"}");
    jdbc.sql(
            "update memories set updated_at = now() - interval '40 days' where id = cast(:id as uuid)")
        .param("id", old)
        .update();

    memories.deleteUntouchedSince(java.time.Instant.now().minus(java.time.Duration.ofDays(30)));

    assertThat(contents(api)).containsExactly("A fresh fact.");
  }

  private static List<String> contents(ApiClient api) {
    List<String> contents = new ArrayList<>();
    api.get("/api/v1/memories")
        .body()
        .get("items")
        .forEach(m -> contents.add(m.get("content").asString()));
    return contents;
  }

  /** Posts a message in a new conversation and returns its final answer step. */
  private static JsonNode answer(ApiClient api, String message) {
    String conversation =
        api.post("/api/v1/conversations", "{\"message\":" + api.quote(message) + "}")
            .body()
            .get("id")
            .asString();
    JsonNode steps = api.awaitAnswered(conversation).get("steps");
    return steps.get(steps.size() - 1);
  }
}
