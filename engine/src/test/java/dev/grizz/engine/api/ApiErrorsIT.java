package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineIT;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every error path answers the one error body with a stable code, and writes nothing. */
@EngineIT
class ApiErrorsIT {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  ApiClient api;
  String conversation;
  long[] before;

  @BeforeEach
  void setUp() {
    api = new ApiClient(port);
    conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    before = counts();
  }

  private long[] counts() {
    return new long[] {
      count("tasks"), count("steps"), count("messages"), count("llm_usage"), count("prompts")
    };
  }

  private long count(String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }

  private void assertError(Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.raw()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.errorCode()).isEqualTo(code);
    assertThat(reply.body().at("/error/message").asString()).isNotBlank();
    assertThat(reply.body().at("/error/trace_id").asString()).matches("[0-9a-f]{32}");
    assertThat(reply.raw()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private void assertNothingWritten() {
    assertThat(counts()).containsExactly(before);
  }

  private String messages() {
    return "/api/v1/conversations/" + conversation + "/messages";
  }

  @Test
  void malformedJsonIs400() {
    assertError(api.post(messages(), "{\"content\": "), 400, "malformed_json");
    assertError(api.post("/api/v1/conversations", "[1,2"), 400, "malformed_json");
    assertNothingWritten();
  }

  @Test
  void wrongJsonTypeIs400() {
    assertError(api.post(messages(), "{\"content\": {\"a\":1}}"), 400, "malformed_json");
    assertNothingWritten();
  }

  @Test
  void unknownFieldIs400() {
    Reply reply = api.post(messages(), "{\"content\":\"hi\",\"temperature\":2}");
    assertError(reply, 400, "unknown_field");
    assertThat(reply.body().at("/error/message").asString()).contains("temperature");
    assertNothingWritten();
  }

  @Test
  void missingContentIs400() {
    assertError(api.post(messages(), "{}"), 400, "invalid_request");
    assertNothingWritten();
  }

  @Test
  void emptyContentIs400() {
    assertError(api.post(messages(), "{\"content\":\"   \\n \"}"), 400, "content_empty");
    assertNothingWritten();
  }

  @Test
  void oversizedContentIs400() {
    String big = "x".repeat(32 * 1024 + 1);
    assertError(api.post(messages(), "{\"content\":\"" + big + "\"}"), 400, "content_too_large");
    assertError(
        api.post("/api/v1/conversations", "{\"message\":\"" + big + "\"}"),
        400,
        "content_too_large");
    assertNothingWritten();
  }

  @Test
  void contentOverTheContextBudgetIs400() {
    // Under the byte limit, but more tokens than the 6,000-token context can hold.
    StringBuilder words = new StringBuilder();
    for (int i = 0; words.length() < 30_000; i++) {
      words.append(Integer.toString(i * 7919, 36)).append(' ');
    }
    assertError(api.post(messages(), "{\"content\":\"" + words + "\"}"), 400, "content_too_long");
    assertNothingWritten();
  }

  @Test
  void unknownModelIs400() {
    assertError(
        api.post(messages(), "{\"content\":\"hi\",\"model\":\"gpt-99\"}"), 400, "unknown_model");
    assertNothingWritten();
  }

  @Test
  void unknownConversationIs404Everywhere() {
    String unknown = "/api/v1/conversations/" + UUID.randomUUID();
    assertError(api.get(unknown), 404, "not_found");
    assertError(api.delete(unknown), 404, "not_found");
    assertError(api.patch(unknown, "{\"title\":\"x\"}"), 404, "not_found");
    assertError(api.post(unknown + "/messages", "{\"content\":\"hi\"}"), 404, "not_found");
    assertNothingWritten();
  }

  @Test
  void malformedIdIs404() {
    assertError(api.get("/api/v1/conversations/not-a-uuid"), 404, "not_found");
    assertError(
        api.post("/api/v1/conversations/123/messages", "{\"content\":\"hi\"}"), 404, "not_found");
    assertNothingWritten();
  }

  @Test
  void unknownPathIs404() {
    assertError(api.get("/api/v1/nothing-here"), 404, "not_found");
  }

  @Test
  void wrongMethodIs405() {
    Reply reply = api.send("/api/v1/conversations", "PUT", "{}", "application/json");
    assertError(reply, 405, "method_not_allowed");
    assertThat(reply.header("Allow")).contains("GET").contains("POST");
  }

  @Test
  void wrongMediaTypeIs415() {
    assertError(
        api.send(messages(), "POST", "content=hi", "text/plain"), 415, "unsupported_media_type");
    assertNothingWritten();
  }

  @Test
  void badPagingIs400() {
    assertError(api.get("/api/v1/conversations?limit=0"), 400, "invalid_request");
    assertError(api.get("/api/v1/conversations?limit=1000"), 400, "invalid_request");
    assertError(api.get("/api/v1/conversations?limit=abc"), 400, "invalid_request");
    assertError(api.get("/api/v1/conversations?cursor=bm9wZQ"), 400, "invalid_cursor");
  }

  @Test
  void badTitleIs400() {
    assertError(
        api.post("/api/v1/conversations", "{\"title\":\"" + "t".repeat(201) + "\"}"),
        400,
        "invalid_request");
    assertError(
        api.patch("/api/v1/conversations/" + conversation, "{\"title\":\"\"}"),
        400,
        "invalid_request");
    assertNothingWritten();
  }
}
