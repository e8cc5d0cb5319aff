package dev.grizz.engine;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real PostgreSQL and Redis the tests run against. With GRIZZ_TEST_DB_URL /
 * GRIZZ_TEST_REDIS_URL set (CI: the machine's own servers) each test JVM gets a fresh database on
 * that server, dropped at exit; without them, embedded real servers are started and stopped at
 * exit, so the test command passes on a machine that has only a JDK and Maven.
 */
public final class TestServers {

  private static Database server;
  private static Database database;
  private static String redisUrl;

  private TestServers() {}

  /** The signing key every test engine shares, so a token from one pod works on another. */
  public static final String SIGNING_KEYS = "test:a-test-signing-key-of-at-least-32-bytes";

  /** Rate limits out of the way of tests that are not about them. */
  public static final String NO_LIMIT = "1000000";

  /** A database of its own for this test JVM. */
  public static synchronized Database database() {
    if (database == null) {
      database = newDatabase();
    }
    return database;
  }

  /** Another empty database on the test server, dropped when the JVM exits. */
  public static synchronized Database newDatabase() {
    if (server == null) {
      String url = System.getenv("GRIZZ_TEST_DB_URL");
      server =
          url == null || url.isBlank()
              ? embeddedServer()
              : new Database(url, envOr("GRIZZ_TEST_DB_USER", "postgres"));
    }
    return freshDatabaseOn(server.url(), server.username());
  }

  /** A Redis URL for this test JVM. Tests keep their keys apart by unique ids. */
  public static synchronized String redisUrl() {
    if (redisUrl == null) {
      String url = System.getenv("GRIZZ_TEST_REDIS_URL");
      redisUrl = url == null || url.isBlank() ? embeddedRedis() : url;
    }
    return redisUrl;
  }

  /** Connection settings of a test database. */
  public record Database(String url, String username) {
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(url, username, "");
    }

    /** The engine's settings for this database, with {@code more} settings added. */
    public Map<String, String> engineEnv(Map<String, String> more) {
      Map<String, String> env = new java.util.HashMap<>(more);
      env.put("GRIZZ_DB_URL", url);
      env.put("GRIZZ_DB_USER", username);
      return env;
    }
  }

  private static Database freshDatabaseOn(String serverUrl, String user) {
    String name =
        "grizz_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    exec(serverUrl, user, "create database " + name);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> exec(serverUrl, user, "drop database if exists " + name + " with (force)")));
    return new Database(serverUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1"), user);
  }

  private static Database embeddedServer() {
    try {
      Path dir = Files.createTempDirectory("grizz-test-pg");
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      pg.close();
                    } catch (IOException ignored) {
                      // the JVM is exiting; the temp directory is cleaned by close when it can be
                    }
                  }));
      return new Database(pg.getJdbcUrl("postgres", "postgres"), "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String embeddedRedis() {
    PrivateRedis redis = new PrivateRedis();
    Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
    return redis.url();
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void exec(String url, String user, String sql) {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + url, e);
    }
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
