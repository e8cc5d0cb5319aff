package dev.grizz.engine.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL the engine talks to, and, for the embedded default, the server process it owns and
 * stops on close.
 */
public record DatabaseTarget(
    String jdbcUrl,
    String username,
    Secret passwordSecret,
    String description,
    @Nullable EmbeddedPostgres server)
    implements AutoCloseable {

  static DatabaseTarget from(DatabaseSettings settings) {
    if (!settings.embedded()) {
      return new DatabaseTarget(
          settings.url(),
          settings.username(),
          settings.passwordSecret(),
          "postgresql " + withoutSecrets(settings.url()),
          null);
    }
    return startEmbedded(settings.dir());
  }

  private static DatabaseTarget startEmbedded(Path dir) {
    try {
      Files.createDirectories(dir);
      // Keeping the data directory makes the embedded database survive restarts: initdb runs only
      // when the directory holds no cluster yet.
      EmbeddedPostgres server =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      return new DatabaseTarget(
          server.getJdbcUrl("postgres", "postgres"),
          "postgres",
          Secret.of(null, null, "grizz.db.password-file"),
          "embedded postgresql (" + dir + ")",
          server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dir, e);
    } catch (IllegalStateException e) {
      // The container image's jar carries no binaries (and other platforms than Linux x86-64 and
      // arm64 have none): say what to do instead of "missing embedded postgres binaries".
      throw new IllegalStateException(
          "cannot start the embedded PostgreSQL ("
              + e.getMessage()
              + "): this build or platform has none; set GRIZZ_DB_URL to a PostgreSQL server",
          e);
    }
  }

  /** The password as it is now (a mounted password file may have changed). */
  public @Nullable String password() {
    return passwordSecret.get();
  }

  static String withoutSecrets(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
  }

  @Override
  public void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }
}
