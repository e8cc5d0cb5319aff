package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Stored responses live in the conversation graph: a chain keeps each item once, a continuation
 * reads its context by walking up, and deleting a response that others continued hides it without
 * taking their context away. The demo provider answers (it echoes the last user message).
 */
@EngineIT
class ResponseChainsIT {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  private static UUID uuid(String responseId) {
    String hex = responseId.substring("resp_".length());
    return UUID.fromString(hex.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
  }

  private static String respond(ApiClient api, String previous, String input) {
    String body =
        previous == null
            ? "{\"input\":\"" + input + "\"}"
            : "{\"previous_response_id\":\"" + previous + "\",\"input\":\"" + input + "\"}";
    ApiClient.Reply reply = api.post("/v1/responses", body);
    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    return reply.body().get("id").asString();
  }

  private static List<String> inputTexts(ApiClient api, String id) {
    ApiClient.Reply reply = api.get("/v1/responses/" + id + "/input_items?order=asc&limit=100");
    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    List<String> texts = new ArrayList<>();
    for (JsonNode item : reply.body().get("data")) {
      texts.add(item.get("role").asString() + ":" + item.get("content").get(0).get("text"));
    }
    return texts;
  }

  private UUID taskOf(String responseId) {
    return jdbc.sql("select task_id from steps where id = :id")
        .param("id", uuid(responseId))
        .query(UUID.class)
        .single();
  }

  private long messagesOf(UUID task) {
    return jdbc.sql(
            "select count(*) from messages m join steps s on s.id = m.step_id where s.task_id = :t")
        .param("t", task)
        .query(Long.class)
        .single();
  }

  @Test
  void aChainStoresEachItemOnceAndIsNotAChatConversation() {
    ApiClient api = new ApiClient(port);
    String first = respond(api, null, "one");
    String second = respond(api, first, "two");
    String third = respond(api, second, "three");

    UUID task = taskOf(first);
    assertThat(taskOf(third)).isEqualTo(task);
    // Three inputs and three answers, each once (the old table kept 1 + 3 + 5 context items).
    assertThat(messagesOf(task)).isEqualTo(6);
    assertThat(inputTexts(api, third))
        .hasSize(5)
        .first()
        .asString()
        .startsWith("user:")
        .contains("one");
    assertThat(inputTexts(api, third).getLast()).contains("three");
    // The answer reads back as it was returned.
    JsonNode read = api.get("/v1/responses/" + second).body();
    assertThat(read.get("id").asString()).isEqualTo(second);
    assertThat(read.get("previous_response_id").asString()).isEqualTo(first);
    assertThat(read.get("output").get(0).get("content").get(0).get("text").asString())
        .contains("two");

    JsonNode conversations = api.get("/api/v1/conversations").body();
    assertThat(conversations.toString()).doesNotContain(task.toString());
  }

  @Test
  void deletingAContinuedResponseHidesItAndKeepsItsContinuationsWhole() {
    ApiClient api = new ApiClient(port);
    String first = respond(api, null, "alpha");
    String middle = respond(api, first, "beta");
    String last = respond(api, middle, "gamma");
    UUID task = taskOf(first);

    assertThat(api.delete("/v1/responses/" + middle).status()).isEqualTo(200);
    assertThat(api.get("/v1/responses/" + middle).status()).isEqualTo(404);
    assertThat(api.delete("/v1/responses/" + middle).status()).isEqualTo(404);
    ApiClient.Reply refused =
        api.post(
            "/v1/responses", "{\"previous_response_id\":\"" + middle + "\",\"input\":\"delta\"}");
    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.body().get("error").get("param").asString())
        .isEqualTo("previous_response_id");
    // The last response's context still holds the hidden one's items.
    assertThat(inputTexts(api, last)).hasSize(5).anyMatch(text -> text.contains("beta"));
    String next = respond(api, last, "delta");
    assertThat(inputTexts(api, next)).hasSize(7);

    // Deleting the tail takes the hidden response with it once nothing continues it.
    assertThat(api.delete("/v1/responses/" + next).status()).isEqualTo(200);
    assertThat(api.delete("/v1/responses/" + last).status()).isEqualTo(200);
    assertThat(messagesOf(task)).isEqualTo(2);
    assertThat(api.get("/v1/responses/" + first).status()).isEqualTo(200);
    assertThat(api.delete("/v1/responses/" + first).status()).isEqualTo(200);
    assertThat(
            jdbc.sql("select count(*) from tasks where id = :t")
                .param("t", task)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void anotherUsersResponseIsAbsent() {
    ApiClient owner = new ApiClient(port);
    ApiClient other = new ApiClient(port);
    String id = respond(owner, null, "private");
    assertThat(other.get("/v1/responses/" + id).status()).isEqualTo(404);
    assertThat(other.get("/v1/responses/" + id + "/input_items").status()).isEqualTo(404);
    assertThat(other.delete("/v1/responses/" + id).status()).isEqualTo(404);
    ApiClient.Reply continued =
        other.post("/v1/responses", "{\"previous_response_id\":\"" + id + "\",\"input\":\"x\"}");
    assertThat(continued.status()).isEqualTo(404);
    assertThat(owner.get("/v1/responses/" + id).status()).isEqualTo(200);
  }
}
