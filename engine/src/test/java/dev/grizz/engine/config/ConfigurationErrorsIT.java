package dev.grizz.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.EngineProcess;
import dev.grizz.engine.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Starts the real engine process with one bad setting at a time: it must stop with a non-zero exit
 * and one line naming the variable, and no stack trace.
 */
class ConfigurationErrorsIT {

  @TempDir Path home;

  @BeforeAll
  static void theSchemaIsCurrent() {
    // A first start on an empty database logs that it migrated the schema; the cases expect one
    // line.
    TestServers.Database db = TestServers.database();
    SchemaMigrations.apply(new DriverManagerDataSource(db.url(), db.username(), ""));
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of(
            "GRIZZ_MAX_CONTENT_BYTES",
            "-5",
            "GRIZZ_MAX_CONTENT_BYTES must be at least 1 byte (got '-5')"),
        Arguments.of(
            "GRIZZ_MAX_CONTENT_BYTES",
            "lots",
            "GRIZZ_MAX_CONTENT_BYTES: 'lots' is not a valid int"),
        Arguments.of(
            "GRIZZ_CONTEXT_TOKENS",
            "10",
            "GRIZZ_CONTEXT_TOKENS must be at least 256 tokens (got '10')"),
        Arguments.of("GRIZZ_SYSTEM_PROMPT", "", "GRIZZ_SYSTEM_PROMPT must not be blank (got '')"),
        Arguments.of(
            "GRIZZ_DEMO_TOKENS_PER_SECOND",
            "0",
            "GRIZZ_DEMO_TOKENS_PER_SECOND must be at least 0.1 (got '0.0')"),
        Arguments.of(
            "GRIZZ_DB_URL",
            "mysql://db:3306/grizz",
            "GRIZZ_DB_URL must be a JDBC URL such as jdbc:postgresql://host:5432/grizz (got 'mysql://db:3306/grizz')"),
        Arguments.of("GRIZZ_DB_USER", "", "GRIZZ_DB_USER is required when GRIZZ_DB_URL is set"),
        Arguments.of(
            "GRIZZ_DB_POOL_SIZE",
            "0",
            "GRIZZ_DB_POOL_SIZE must be greater than or equal to 1 (got '0')"),
        Arguments.of(
            "GRIZZ_DB_CONNECT_TIMEOUT",
            "100ms",
            "GRIZZ_DB_CONNECT_TIMEOUT must be a duration from 250ms to 60s, such as 3s (got '100ms')"),
        Arguments.of(
            "GRIZZ_EVENTS_MAX_LENGTH",
            "10000001",
            "GRIZZ_EVENTS_MAX_LENGTH must be less than or equal to 10000000 (got '10000001')"),
        Arguments.of(
            "GRIZZ_STREAM_HEARTBEAT", "", "GRIZZ_STREAM_HEARTBEAT must not be null (got 'null')"),
        // Bound while Tomcat starts, where a failure used to add Tomcat's own ERROR line.
        Arguments.of(
            "GRIZZ_MAX_JSON_DEPTH",
            "1001",
            "GRIZZ_MAX_JSON_DEPTH must be less than or equal to 1000 (got '1001')"),
        Arguments.of(
            "GRIZZ_REDIS_URL",
            "localhost:6379",
            "GRIZZ_REDIS_URL must be a Redis URL such as redis://localhost:6379 (got 'localhost:6379')"),
        Arguments.of(
            "GRIZZ_BACKUP_SCHEDULE",
            "at three",
            "GRIZZ_BACKUP_SCHEDULE is not a cron expression with six fields such as '0 0 3 * * *' (got 'at three')"),
        Arguments.of("GRIZZ_BACKUP_KEEP", "0", "GRIZZ_BACKUP_KEEP must be at least 1 (got 0)"),
        Arguments.of(
            "GRIZZ_ROLE", "boss", "GRIZZ_ROLE must be one of all, gateway, worker (got 'boss')"),
        Arguments.of("GRIZZ_PORT", "eighty", "GRIZZ_PORT: 'eighty' is not a valid integer"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badSettings")
  void stopsWithOneLineNamingTheVariable(String variable, String value, String expected)
      throws IOException, InterruptedException {
    TestServers.Database db = TestServers.database();
    Map<String, String> env = new HashMap<>();
    env.put("GRIZZ_HOME", home.toString());
    env.put("GRIZZ_PORT", "0");
    env.put("GRIZZ_DB_URL", db.url());
    env.put("GRIZZ_DB_USER", db.username());
    env.put(variable, value);

    Result result = run(env);

    assertThat(result.exitCode()).as(result.output()).isNotZero();
    List<String> lines =
        result.output().lines().filter(line -> !line.startsWith("WARNING:")).toList();
    assertThat(lines)
        .as(result.output())
        .containsExactly("grizz: cannot start: configuration error: " + expected);
  }

  private Result run(Map<String, String> env) throws IOException, InterruptedException {
    Path output = home.resolve("output.txt");
    Process process = EngineProcess.command(env, output).start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the engine did not stop: " + Files.readString(output));
    }
    return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  private record Result(int exitCode, String output) {}
}
