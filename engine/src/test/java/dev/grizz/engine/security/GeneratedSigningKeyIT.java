package dev.grizz.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With no signing keys configured (the Quick start's defaults), the key the engine makes is kept in
 * the database: a session outlives a restart, and another pod on the same database accepts it. It
 * used to be a key per process: a restart signed every user out, and their conversations with them.
 */
class GeneratedSigningKeyIT {

  private static final Map<String, String> NO_KEYS =
      Map.of("grizz.auth.signing-keys", "", "grizz.auth.signing-keys-file", "");

  @Test
  void aSessionOutlivesARestartAndWorksOnEveryPod() {
    TestServers.Database db = TestServers.newDatabase();
    try (PrivateRedis redis = new PrivateRedis()) {
      String token;
      String conversation;
      try (EngineInstance first = EngineInstance.start(db, redis.url(), NO_KEYS)) {
        ApiClient api = first.api();
        token = api.token();
        conversation =
            api.post("/api/v1/conversations", "{\"title\":\"kept\"}").body().get("id").asString();
        try (EngineInstance second = EngineInstance.start(db, redis.url(), NO_KEYS)) {
          ApiClient onSecond = ApiClient.withToken(second.port(), token);
          assertThat(onSecond.get("/api/v1/me").status()).isEqualTo(200);
        }
      }
      try (EngineInstance restarted = EngineInstance.start(db, redis.url(), NO_KEYS)) {
        ApiClient again = ApiClient.withToken(restarted.port(), token);
        assertThat(again.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(again.get("/api/v1/conversations/" + conversation).status()).isEqualTo(200);
      }
    }
  }
}
