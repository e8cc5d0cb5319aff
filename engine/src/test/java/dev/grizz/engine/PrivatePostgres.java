package dev.grizz.engine;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL server of one test's own (embedded, real), that the test may stop and start again on
 * the same port and data directory, its data kept, as a database restart or a short outage would.
 * Never the shared test server.
 */
public final class PrivatePostgres implements AutoCloseable {

  private final int port = TestServers.freePort();
  private final Path dataDirectory;
  private EmbeddedPostgres server;

  public PrivatePostgres() {
    try {
      dataDirectory = Files.createTempDirectory("grizz-private-pg");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start();
  }

  /** Its {@code postgres} database, where an engine makes its schema. */
  public TestServers.Database database() {
    return new TestServers.Database(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres");
  }

  public void start() {
    try {
      server =
          EmbeddedPostgres.builder()
              .setPort(port)
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server (a fast shutdown: sessions are cut, committed data stays). */
  public void stop() {
    if (server == null) {
      return;
    }
    try {
      server.close();
      server = null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop();
    try (var files = Files.walk(dataDirectory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory; the OS cleans it eventually
    }
  }
}
