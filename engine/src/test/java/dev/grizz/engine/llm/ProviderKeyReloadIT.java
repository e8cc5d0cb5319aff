package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider key from a mounted file is rotated by rewriting the file: the next request uses the
 * new key, with no restart.
 */
class ProviderKeyReloadIT {

  @TempDir Path dir;

  @Test
  void aRewrittenKeyFileIsUsedWithoutARestart() throws IOException {
    Path keyFile = dir.resolve("openai-key");
    Files.writeString(keyFile, "sk-first\n");
    try (FakeUpstream upstream = new FakeUpstream();
        PrivateRedis redis = new PrivateRedis();
        EngineInstance engine =
            EngineInstance.start(
                TestServers.newDatabase(),
                redis.url(),
                Map.of(
                    "grizz.providers.openai-base-url", upstream.url("/v1"),
                    "grizz.providers.openai-api-key-file", keyFile.toString(),
                    "grizz.providers.openai-models", "gpt-4o-mini"))) {
      ApiClient api = engine.api();
      String request =
          "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

      upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("one"), 3, 1)));
      assertThat(api.post("/v1/chat/completions", request).status()).isEqualTo(200);
      assertThat(upstream.authorizations).containsExactly("Bearer sk-first");

      Files.writeString(keyFile, "sk-rotated\n");
      Files.setLastModifiedTime(keyFile, FileTime.from(Instant.now().plusSeconds(5)));
      // The file is looked at no more than once a second.
      Awaitility.await()
          .pollInterval(java.time.Duration.ofMillis(300))
          .atMost(java.time.Duration.ofSeconds(10))
          .until(
              () -> {
                upstream.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("two"), 3, 1)));
                api.post("/v1/chat/completions", request);
                return upstream.authorizations.stream()
                    .toList()
                    .getLast()
                    .equals("Bearer sk-rotated");
              });
    }
  }
}
