package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineIT;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@EngineIT
class ConversationApiIT {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired dev.grizz.engine.security.Accounts accounts;
  ApiClient api;

  @BeforeEach
  void client() {
    api = new ApiClient(port);
  }

  private String newConversation() {
    Reply created = api.post("/api/v1/conversations", "{}");
    assertThat(created.status()).isEqualTo(201);
    return created.body().get("id").asString();
  }

  private long rows(String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }

  @Test
  void createsAnEmptyConversation() {
    Reply created = api.post("/api/v1/conversations", "{\"title\":\"Trip plans\"}");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location"))
        .isEqualTo("/api/v1/conversations/" + created.body().get("id").asString());
    assertThat(created.body().get("title").asString()).isEqualTo("Trip plans");
    assertThat(created.body().get("status").asString()).isEqualTo("active");
    assertThat(created.body().get("messages").size()).isZero();
  }

  @Test
  void createsAConversationWithoutABody() {
    Reply created = api.send("/api/v1/conversations", "POST", "", "application/json");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("title").asString()).isEqualTo("New conversation");
  }

  @Test
  void createsAConversationWithAFirstMessageAndAnswersIt() {
    Reply created = api.post("/api/v1/conversations", "{\"message\":\"What is a grizzly bear?\"}");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("messages").get(0).get("content").asString())
        .isEqualTo("What is a grizzly bear?");
    JsonNode body = api.awaitAnswered(created.body().get("id").asString());
    assertThat(body.get("title").asString()).isEqualTo("What is a grizzly bear?");
    JsonNode messages = body.get("messages");
    assertThat(messages.size()).isEqualTo(2);
    assertThat(messages.get(0).get("role").asString()).isEqualTo("user");
    assertThat(messages.get(0).get("content").asString()).isEqualTo("What is a grizzly bear?");
    assertThat(messages.get(1).get("role").asString()).isEqualTo("assistant");
    assertThat(messages.get(1).get("content").asString()).contains("demo provider");
  }

  @Test
  void postsAMessageAndStoresTheAnswerWithItsAccounting() {
    String id = newConversation();

    Reply posted =
        api.post("/api/v1/conversations/" + id + "/messages", "{\"content\":\"Hello there\"}");

    assertThat(posted.status()).isEqualTo(202);
    assertThat(posted.body().get("conversation_id").asString()).isEqualTo(id);
    String stepId = posted.body().get("step_id").asString();
    assertThat(posted.body().get("user_message_id").asString()).isNotBlank();
    assertThat(posted.body().get("status").asString()).isEqualTo("queued");

    JsonNode conversation = api.awaitAnswered(id);
    JsonNode messages = conversation.get("messages");
    assertThat(messages.size()).isEqualTo(2);
    assertThat(messages.get(1).get("step_id").asString()).isEqualTo(stepId);
    String answer = messages.get(1).get("content").asString();
    assertThat(answer).startsWith("Hello! I am the demo provider").contains("\"Hello there\"");

    JsonNode llmStep = conversation.get("steps").get(1);
    assertThat(llmStep.get("type").asString()).isEqualTo("llm");
    assertThat(llmStep.get("parent_step_id").asString())
        .isEqualTo(conversation.get("steps").get(0).get("id").asString());
    assertThat(llmStep.get("provider").asString()).isEqualTo("demo");
    assertThat(llmStep.get("prompt_tokens").asInt()).isPositive();
    assertThat(llmStep.get("completion_tokens").asInt()).isPositive();
    assertThat(llmStep.get("usage_cents").decimalValue()).isZero();

    Map<String, Object> step =
        jdbc.sql("select prompt_hash, usage_cents from steps where id = :id")
            .param("id", UUID.fromString(stepId))
            .query()
            .singleRow();
    String template =
        jdbc.sql("select template from prompts where hash = :hash")
            .param("hash", step.get("prompt_hash"))
            .query(String.class)
            .single();
    assertThat(template).startsWith("You are Grizz");
    Map<String, Object> usage =
        jdbc.sql(
                "select provider, model, outcome, prompt_tokens, completion_tokens, usage_cents,"
                    + " estimated, total_ms from llm_usage where step_id = :id")
            .param("id", UUID.fromString(stepId))
            .query()
            .singleRow();
    assertThat(usage)
        .containsEntry("provider", "demo")
        .containsEntry("model", "demo")
        .containsEntry("outcome", "completed")
        .containsEntry("estimated", false)
        .containsEntry("completion_tokens", llmStep.get("completion_tokens").asInt());
  }

  @Test
  void laterTurnsChainOnTheStepGraph() {
    String id = newConversation();
    api.post("/api/v1/conversations/" + id + "/messages", "{\"content\":\"one\"}");
    api.awaitAnswered(id);
    api.post("/api/v1/conversations/" + id + "/messages", "{\"content\":\"two\"}");
    api.awaitAnswered(id);

    JsonNode steps = api.get("/api/v1/conversations/" + id).body().get("steps");
    assertThat(steps.size()).isEqualTo(4);
    for (int i = 1; i < 4; i++) {
      assertThat(steps.get(i).get("parent_step_id").asString())
          .isEqualTo(steps.get(i - 1).get("id").asString());
    }
    JsonNode messages = api.get("/api/v1/conversations/" + id).body().get("messages");
    assertThat(messages.get(2).get("content").asString()).isEqualTo("two");
  }

  @Test
  void listsConversationsMostRecentlyActiveFirstAcrossPages() {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      made.add(
          api.post("/api/v1/conversations", "{\"title\":\"page " + i + "\"}")
              .body()
              .get("id")
              .asString());
    }
    // Activity moves a conversation to the top.
    api.post("/api/v1/conversations/" + made.get(1) + "/messages", "{\"content\":\"bump\"}");
    api.awaitAnswered(made.get(1));

    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Reply page =
          api.get("/api/v1/conversations?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body().get("items").size()).isLessThanOrEqualTo(2);
      page.body().get("items").forEach(item -> seen.add(item.get("id").asString()));
      cursor =
          page.body().get("next_cursor").isNull()
              ? null
              : page.body().get("next_cursor").asString();
    } while (cursor != null);

    assertThat(seen).doesNotHaveDuplicates();
    List<String> mine = seen.stream().filter(made::contains).toList();
    assertThat(mine)
        .containsExactly(made.get(1), made.get(4), made.get(3), made.get(2), made.get(0));
  }

  @Test
  void renamesAConversation() {
    String id = newConversation();

    Reply renamed = api.patch("/api/v1/conversations/" + id, "{\"title\":\"  Renamed  \"}");

    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.body().get("title").asString()).isEqualTo("Renamed");
    assertThat(api.get("/api/v1/conversations/" + id).body().get("title").asString())
        .isEqualTo("Renamed");
  }

  @Test
  void deletesAConversationWithItsStepsAndMessagesButKeepsUsage() {
    String id = newConversation();
    String stepId =
        api.post("/api/v1/conversations/" + id + "/messages", "{\"content\":\"bye\"}")
            .body()
            .get("step_id")
            .asString();
    api.awaitAnswered(id);

    Reply deleted = api.delete("/api/v1/conversations/" + id);

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(api.get("/api/v1/conversations/" + id).status()).isEqualTo(404);
    assertThat(
            jdbc.sql("select count(*) from steps where task_id = :id")
                .param("id", UUID.fromString(id))
                .query(Long.class)
                .single())
        .isZero();
    assertThat(
            jdbc.sql("select count(*) from llm_usage where step_id is null and total_ms >= 0")
                .query(Long.class)
                .single())
        .isPositive();
    assertThat(
            jdbc.sql("select count(*) from steps where id = :id")
                .param("id", UUID.fromString(stepId))
                .query(Long.class)
                .single())
        .isZero();
    assertThat(api.delete("/api/v1/conversations/" + id).status()).isEqualTo(404);
  }

  @Test
  void answersHealthAndReadiness() {
    assertThat(api.get("/health").body().get("status").asString()).isEqualTo("up");
    Reply ready = api.get("/actuator/health/readiness");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().get("status").asString()).isEqualTo("UP");
    assertThat(ready.body().at("/components/db/status").asString()).isEqualTo("UP");
    assertThat(ready.body().at("/components/events/status").asString()).isEqualTo("UP");
    assertThat(ready.body().at("/components/events/details").isMissingNode())
        .as("details are for admins")
        .isTrue();
    Reply details = ApiClient.admin(port, accounts).get("/actuator/health/readiness");
    assertThat(details.body().at("/components/events/details/mode").asString()).isEqualTo("redis");
  }

  @Test
  void takesTheTraceIdFromTraceparent() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    Reply reply =
        api.get(
            "/api/v1/conversations/" + UUID.randomUUID(),
            Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body().at("/error/trace_id").asString()).isEqualTo(traceId);
    assertThat(reply.header("X-Trace-Id")).isEqualTo(traceId);
  }

  static long count(JdbcClient jdbc, String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }

  long[] counts() {
    return new long[] {rows("tasks"), rows("steps"), rows("messages"), rows("llm_usage")};
  }
}
