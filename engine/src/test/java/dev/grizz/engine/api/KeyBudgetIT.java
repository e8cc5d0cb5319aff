package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.security.Accounts;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** An API key may carry its own budget; what is spent through a key is billed to it. */
@EngineIT
class KeyBudgetIT {

  static final String COMPLETION =
      "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

  @LocalServerPort int port;
  @Autowired Accounts accounts;
  @Autowired JdbcClient jdbc;

  private ApiClient account() {
    return ApiClient.admin(port, accounts);
  }

  private long rowsBilledTo(String keyId) {
    return jdbc.sql("select count(*) from llm_usage where api_key_id = :k")
        .param("k", UUID.fromString(keyId))
        .query(Long.class)
        .single();
  }

  @Test
  void aKeysOwnBudgetRefusesThroughTheKeyOnly() {
    ApiClient owner = account();
    JsonNode key = owner.post("/api/v1/api-keys", "{\"name\":\"capped\",\"daily_cents\":0}").body();
    assertThat(key.at("/budget/daily_cents").decimalValue()).isEqualByComparingTo("0");
    ApiClient viaKey = ApiClient.withToken(port, key.get("key").asString());

    ApiClient.Reply refused = viaKey.post("/v1/chat/completions", COMPLETION);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.body().at("/error/code").asString()).isEqualTo("budget_exceeded");
    assertThat(refused.body().at("/error/message").asString()).contains("api key daily cents");

    // The user's own session has no such limit.
    assertThat(owner.post("/v1/chat/completions", COMPLETION).status()).isEqualTo(200);
    assertThat(rowsBilledTo(key.get("id").asString())).isZero();
  }

  @Test
  void usageThroughAKeyIsBilledToItAndItsBudgetCanChange() {
    ApiClient owner = account();
    JsonNode key = owner.post("/api/v1/api-keys", "{\"name\":\"open\"}").body();
    String keyId = key.get("id").asString();
    ApiClient viaKey = ApiClient.withToken(port, key.get("key").asString());

    assertThat(viaKey.post("/v1/chat/completions", COMPLETION).status()).isEqualTo(200);
    assertThat(rowsBilledTo(keyId)).isEqualTo(1);

    ApiClient.Reply set =
        owner.send(
            "/api/v1/api-keys/" + keyId + "/budget",
            "PUT",
            "{\"tokens_per_minute\":1}",
            "application/json");
    assertThat(set.status()).isEqualTo(200);
    ApiClient.Reply refused = viaKey.post("/v1/chat/completions", COMPLETION);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.body().at("/error/message").asString())
        .contains("api key tokens per minute");

    ApiClient.Reply foreign =
        account()
            .send(
                "/api/v1/api-keys/" + keyId + "/budget",
                "PUT",
                "{\"daily_cents\":5}",
                "application/json");
    assertThat(foreign.status()).isEqualTo(404);
  }

  @Test
  void aSignedChatMessageIsBilledToItsKeyByTheWorker() {
    ApiClient owner = account();
    JsonNode key = owner.post("/api/v1/api-keys", "{\"name\":\"server\"}").body();
    String keyId = key.get("id").asString();
    String secret = key.get("key").asString();
    byte[] signingKey =
        dev.grizz.engine.security.AuthIT.signingKey(secret.substring(secret.lastIndexOf('_') + 1));
    String body = "{\"message\":\"signed hello\"}";
    long now = java.time.Instant.now().getEpochSecond();

    ApiClient.Reply created =
        ApiClient.unauthenticated(port)
            .send(
                "/api/v1/conversations",
                "POST",
                body,
                "application/json",
                dev.grizz.engine.security.AuthIT.signed(
                    keyId,
                    signingKey,
                    "POST",
                    "/api/v1/conversations",
                    now,
                    "billing-nonce-0001",
                    body));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    owner.awaitAnswered(created.body().get("id").asString());

    assertThat(rowsBilledTo(keyId)).isEqualTo(1);
  }
}
