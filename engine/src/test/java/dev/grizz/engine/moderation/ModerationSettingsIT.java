package dev.grizz.engine.moderation;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad moderation setting stops the real engine with one line naming the variable. */
class ModerationSettingsIT {

  @TempDir Path home;

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          GRIZZ_MODERATION_POLICY   | violence:block=2   | GRIZZ_MODERATION_POLICY has '2' for violence; a threshold is 0..1 or off
          GRIZZ_MODERATION_PROVIDER | openai             | GRIZZ_MODERATION_OPENAI_API_KEY must be set (or OPENAI_API_KEY) when the moderation provider is openai
          GRIZZ_MODERATION_PROVIDER | azure              | GRIZZ_MODERATION_PROVIDER
          """)
  void stopsWithOneLineNamingTheVariable(String variable, String value, String expected)
      throws IOException, InterruptedException {
    TestServers.Database db = TestServers.database();
    Map<String, String> env = new HashMap<>();
    env.put("GRIZZ_HOME", home.toString());
    env.put("GRIZZ_PORT", "0");
    env.put("GRIZZ_DB_URL", db.url());
    env.put("GRIZZ_DB_USER", db.username());
    env.put("OPENAI_API_KEY", "");
    env.put(variable, value);
    Path output = home.resolve("output.txt");

    Process process = EngineProcess.command(env, output).start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the engine did not stop: " + Files.readString(output));
    }

    String text = Files.readString(output, StandardCharsets.UTF_8);
    // A first start on an empty database also logs that it migrated the schema (run alone, this
    // test can be the first).
    List<String> lines =
        text.lines()
            .filter(line -> !line.startsWith("WARNING:"))
            .filter(line -> !line.contains("Database schema migrated"))
            .toList();
    assertThat(process.exitValue()).as(text).isNotZero();
    assertThat(lines).as(text).hasSize(1);
    assertThat(lines.getFirst())
        .startsWith("grizz: cannot start: configuration error: " + expected);
  }
}
