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
      // A jar carries the embedded PostgreSQL of the machine it was built on (Linux x86-64 or
      // arm64), the image's none: say what to do instead of "missing embedded postgres binaries".
      throw new IllegalStateException(
          "cannot start the embedded PostgreSQL ("
              + e.getMessage()
              + "): this jar has none for "
              + System.getProperty("os.name")
              + " "
              + System.getProperty("os.arch")
              + "; set GRIZZ_DB_URL to a PostgreSQL server, or build the jar on this machine"
              + " (or anywhere with -Dgrizz.portable, which keeps the Linux x86-64 and arm64 builds)",
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
