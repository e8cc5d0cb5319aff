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

    retention.purge(Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(30));

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
