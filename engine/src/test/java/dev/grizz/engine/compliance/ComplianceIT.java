package dev.grizz.engine.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A user with data everywhere is erased; then every table and every Redis key is searched for their
 * words and their conversations' ids. Usage rows stay, unlinked.
 */
class ComplianceIT {

  @Test
  void erasingAUserLeavesNothingOfThemButAnonymousBilling() {
    TestServers.Database db = TestServers.newDatabase();
    try (PrivateRedis redis = new PrivateRedis();
        EngineInstance engine = EngineInstance.start(db, redis.url(), Map.of())) {
      ApiClient api = engine.api();
      String user = api.userId().toString();
      JdbcClient jdbc = engine.bean(JdbcClient.class);
      String marker = "ZEBRA" + UUID.randomUUID().toString().replace("-", "");
      List<String> conversations = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String id =
            api.post(
                    "/api/v1/conversations", "{\"message\":\"my secret " + marker + " " + i + "\"}")
                .body()
                .get("id")
                .asString();
        api.awaitAnswered(id);
        conversations.add(id);
      }
      jdbc.sql(
              """
              insert into policy_violations (id, user_id, content, categories, scores, "timestamp")
              values (:id, :u, :c, '{"harassment": true}', '{"harassment": 0.9}', :t)
              """)
          .param("id", UUID.randomUUID())
          .param("u", UUID.fromString(user))
          .param("c", "violating " + marker)
          .param("t", Timestamp.from(Instant.now()))
          .update();
      // An account (the anonymous user signs up in place) with an API key: data in users and
      // api_keys as well.
      String email = marker.toLowerCase() + "@example.com";
      assertThat(
              api.post(
                      "/api/v1/accounts",
                      "{\"email\":\"" + email + "\",\"password\":\"a good password\"}")
                  .status())
          .isEqualTo(201);
      String keyId =
          api.post("/api/v1/api-keys", "{\"name\":\"mine\",\"daily_cents\":100}")
              .body()
              .get("id")
              .asString();
      // A response stored by the Responses API (store is its default), holding the marker in its
      // input and (the demo provider echoes) its output.
      ApiClient.Reply stored = api.post("/v1/responses", "{\"input\":\"remember " + marker + "\"}");
      assertThat(stored.status()).as(stored.raw()).isEqualTo(200);
      String responseId = stored.body().get("id").asString();
      long usageRows = jdbc.sql("select count(*) from llm_usage").query(Long.class).single();
      // A conversation shared by link: its snapshot holds the marker too.
      JsonNode share =
          api.post("/api/v1/conversations/" + conversations.get(0) + "/shares", "").body();
      String shared = share.get("url").asString();
      assertThat(ApiClient.unauthenticated(engine.port()).get(shared).status()).isEqualTo(200);

      JsonNode export = api.get("/api/v1/users/" + user + "/export").body();
      assertThat(export.get("conversations")).hasSize(2);
      assertThat(export.toString()).contains(marker);
      assertThat(export.get("usage").size()).isEqualTo((int) usageRows);
      assertThat(export.get("policy_violations")).hasSize(1);
      assertThat(export.get("responses")).hasSize(1);
      assertThat(export.get("responses").get(0).toString()).contains(marker);
      assertThat(export.get("shares")).hasSize(1);
      assertThat(export.get("shares").get(0).get("token").asString())
          .isEqualTo(share.get("token").asString());

      ApiClient.Reply erased = api.delete("/api/v1/users/" + user);
      assertThat(erased.status()).isEqualTo(200);
      assertThat(erased.body().get("conversations_deleted").asInt()).isEqualTo(2);
      assertThat(erased.body().get("api_keys_deleted").asInt()).isEqualTo(1);
      assertThat(erased.body().get("responses_deleted").asInt()).isEqualTo(1);

      List<String> needles = new ArrayList<>(conversations);
      needles.add(marker);
      needles.add(marker.toLowerCase());
      needles.add(keyId);
      needles.add(responseId.substring("resp_".length()));
      needles.add(share.get("token").asString());
      List<String> tables =
          jdbc.sql("select tablename from pg_tables where schemaname = 'public'")
              .query(String.class)
              .list();
      for (String table : tables) {
        for (String needle : needles) {
          long found =
              jdbc.sql("select count(*) from " + table + " t where t::text like :n")
                  .param("n", "%" + needle + "%")
                  .query(Long.class)
                  .single();
          assertThat(found).as("%s in %s", needle, table).isZero();
        }
      }
      assertThat(ApiClient.unauthenticated(engine.port()).get(shared).status()).isEqualTo(404);
      assertThat(jdbc.sql("select count(*) from llm_usage").query(Long.class).single())
          .isEqualTo(usageRows);
      assertThat(
              jdbc.sql("select count(*) from llm_usage where user_id is not null")
                  .query(Long.class)
                  .single())
          .isZero();
      assertThat(
              jdbc.sql(
                      "select count(*) from audit_log where action = 'user.erase' and target_id = :u")
                  .param("u", user)
                  .query(Long.class)
                  .single())
          .isEqualTo(1);

      RedisClient client = RedisClient.create(redis.url());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        for (String key : connection.sync().keys("*")) {
          for (String conversation : conversations) {
            assertThat(key).doesNotContain(conversation);
          }
          if (connection.sync().type(key).equals("stream")) {
            assertThat(connection.sync().xrange(key, io.lettuce.core.Range.unbounded()).toString())
                .doesNotContain(marker);
          }
        }
      } finally {
        client.shutdown();
      }

      // The erased user's session ended with them; an admin erasing again is harmless.
      assertThat(api.delete("/api/v1/users/" + user).status()).isEqualTo(401);
      ApiClient admin = engine.adminApi();
      ApiClient.Reply again = admin.delete("/api/v1/users/" + user);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.body().get("conversations_deleted").asInt()).isZero();
      assertThat(admin.delete("/api/v1/users/" + UUID.randomUUID()).status()).isEqualTo(404);
    }
  }
}
