package dev.grizz.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database password from a mounted file: rewritten while the engine runs, the next new
 * connection is opened with the new one. (The test PostgreSQL trusts local connections, so what is
 * checked is the password the pool hands the driver, and that the engine keeps working.)
 */
class SecretFilesIT {

  @TempDir Path dir;

  @Test
  void aRewrittenDatabasePasswordFileIsUsedForNewConnections() throws IOException {
    TestServers.Database db = TestServers.database();
    Path passwordFile = dir.resolve("db-password");
    Files.writeString(passwordFile, "first-password\n");
    try (EngineInstance engine =
        EngineInstance.start(
            db,
            TestServers.redisUrl(),
            Map.of("grizz.db.password-file", passwordFile.toString()))) {
      HikariDataSource pool = (HikariDataSource) engine.bean(DataSource.class);
      assertThat(pool.getCredentialsProvider().getCredentials().getPassword())
          .isEqualTo("first-password");

      Files.writeString(passwordFile, "rotated-password\n");
      Files.setLastModifiedTime(passwordFile, FileTime.from(Instant.now().plusSeconds(5)));

      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  "rotated-password"
                      .equals(pool.getCredentialsProvider().getCredentials().getPassword()));
      pool.getHikariPoolMXBean().softEvictConnections();
      ApiClient api = engine.api();
      assertThat(api.post("/api/v1/conversations", "{}").status()).isEqualTo(201);
    }
  }
}
