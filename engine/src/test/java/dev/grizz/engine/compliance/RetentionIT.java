package dev.grizz.engine.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@EngineIT
class RetentionIT {

  private static String storedResponse(ApiClient api, String input) {
    ApiClient.Reply reply = api.post("/v1/responses", "{\"input\":\"" + input + "\"}");
    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    return reply.body().get("id").asString();
  }

  /** The row id of a {@code resp_<32 hex>} id. */
  private static UUID uuid(String responseId) {
    String hex = responseId.substring("resp_".length());
    return UUID.fromString(hex.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
  }

  @LocalServerPort int port;
  @Autowired RetentionJob retention;
  @Autowired JdbcClient jdbc;

  @Test
  void purgesConversationsAndViolationsPastTheirRetention() {
    ApiClient api = new ApiClient(port);
    String old =
        api.post("/api/v1/conversations", "{\"message\":\"ancient\"}").body().get("id").asString();
    String recent =
        api.post("/api/v1/conversations", "{\"message\":\"fresh\"}").body().get("id").asString();
    api.awaitAnswered(old);
    api.awaitAnswered(recent);
    jdbc.sql("update tasks set updated_at = :t where id = :id")
        .param("t", Timestamp.from(Instant.now().minus(Duration.ofDays(400))))
        .param("id", UUID.fromString(old))
        .update();
    UUID oldViolation = UUID.randomUUID();
    jdbc.sql(
            """
            insert into policy_violations (id, content, categories, scores, "timestamp")
            values (:id, 'x', '{}', '{}', :t)
            """)
        .param("id", oldViolation)
        .param("t", Timestamp.from(Instant.now().minus(Duration.ofDays(100))))
        .update();

    ApiClient idleGuest = new ApiClient(port);
    UUID idleGuestId = idleGuest.userId();
    UUID activeGuestId = api.userId();
    jdbc.sql("update users set created_at = :t where id in (:idle, :active)")
        .param("t", Timestamp.from(Instant.now().minus(Duration.ofDays(40))))
        .param("idle", idleGuestId)
        .param("active", activeGuestId)
        .update();

    // Responses stored by /v1/responses: one past the conversations' retention, one recent; and a
    // guest whose only use was a stored response is not idle.
    String oldResponse = storedResponse(api, "ancient");
    String recentResponse = storedResponse(api, "fresh");
    // A chain is a conversation: its activity time is its last response's.
    jdbc.sql(
            "update tasks set updated_at = :t where id = (select task_id from steps where id = :id)")
        .param("t", Timestamp.from(Instant.now().minus(Duration.ofDays(400))))
        .param("id", uuid(oldResponse))
        .update();
    ApiClient responder = new ApiClient(port);
    String responderResponse = storedResponse(responder, "mine");
    jdbc.sql("update users set created_at = :t where id = :id")
        .param("t", Timestamp.from(Instant.now().minus(Duration.ofDays(40))))
        .param("id", responder.userId())
        .update();

    retention.purge(Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(30));

    assertThat(api.get("/v1/responses/" + oldResponse).status()).isEqualTo(404);
    assertThat(api.get("/v1/responses/" + recentResponse).status()).isEqualTo(200);
    assertThat(responder.get("/v1/responses/" + responderResponse).status()).isEqualTo(200);
    // A user row deleted outright takes the responses along (the foreign keys cascade).
    jdbc.sql("delete from users where id = :id").param("id", responder.userId()).update();
    assertThat(
            jdbc.sql("select count(*) from steps where id = :id")
                .param("id", uuid(responderResponse))
                .query(Long.class)
                .single())
        .isZero();

    // A guest who never started a conversation is gone; one with a conversation stays.
    assertThat(idleGuest.get("/api/v1/me").status()).isEqualTo(401);
    assertThat(api.get("/api/v1/me").status()).isEqualTo(200);

    assertThat(api.get("/api/v1/conversations/" + old).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/conversations/" + recent).status()).isEqualTo(200);
    assertThat(
            jdbc.sql("select count(*) from policy_violations where id = :id")
                .param("id", oldViolation)
                .query(Long.class)
                .single())
        .isZero();
  }
}
