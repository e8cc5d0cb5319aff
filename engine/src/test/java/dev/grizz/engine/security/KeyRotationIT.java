package dev.grizz.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating the token signing key by rewriting the mounted key file while the engine runs: nobody is
 * logged out until the old key is removed, and then only tokens signed with it stop working.
 */
class KeyRotationIT {

  static final String OLD = "k1:" + "o".repeat(40);
  static final String NEW = "k2:" + "n".repeat(40);

  @TempDir Path dir;
  int version;

  private void write(Path file, String content) throws IOException {
    Files.writeString(file, content);
    // Two rewrites within one clock tick must still look like two versions.
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(++version)));
  }

  private static String kid(String token) {
    String header =
        new String(
            Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
            StandardCharsets.UTF_8);
    return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
  }

  @Test
  void aNewKeyTakesOverWithoutLoggingAnyoneOut() throws IOException {
    Path keys = dir.resolve("signing-keys");
    write(keys, OLD + "\n");
    try (EngineInstance engine =
        EngineInstance.start(
            TestServers.database(),
            TestServers.redisUrl(),
            Map.of("grizz.auth.signing-keys-file", keys.toString()))) {
      ApiClient before = new ApiClient(engine.port());
      String oldToken = before.token();
      assertThat(kid(oldToken)).isEqualTo("k1");

      // 1. The new key is listed second: it verifies but does not sign yet.
      write(keys, OLD + "\n" + NEW + "\n");
      assertThat(kid(new ApiClient(engine.port()).token())).isEqualTo("k1");

      // 2. The new key moves first: new sessions use it, old tokens still work.
      write(keys, NEW + "\n" + OLD + "\n");
      ApiClient after = new ApiClient(engine.port());
      assertThat(kid(after.token())).isEqualTo("k2");
      assertThat(before.get("/api/v1/me").status()).isEqualTo(200);

      // 3. After the longest token lifetime the old key is retired.
      write(keys, NEW + "\n");
      ApiClient.Reply retired = before.get("/api/v1/me");
      assertThat(retired.status()).isEqualTo(401);
      assertThat(retired.errorCode()).isEqualTo("invalid_token");
      assertThat(after.get("/api/v1/me").status()).isEqualTo(200);

      // A broken file keeps the keys that worked.
      write(keys, "not a key list");
      assertThat(after.get("/api/v1/me").status()).isEqualTo(200);
    }
  }
}
