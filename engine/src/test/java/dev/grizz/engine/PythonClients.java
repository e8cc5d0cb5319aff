package dev.grizz.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a script of {@code clients/python/} with the official Python SDKs pinned in its {@code
 * requirements.txt}, installed on first use into {@code clients/python/.venv} (again whenever the
 * requirements change). Without python3 and its venv module the calling test is skipped; CI has
 * them.
 */
public final class PythonClients {

  private static final Path DIR = locate();

  private PythonClients() {}

  private static Path locate() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("clients/python"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no clients/python above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("clients/python");
  }

  /** The output of {@code python clients/python/<script>} with the given environment. */
  public static String run(String script, Map<String, String> env) {
    install();
    Result result =
        exec(
            List.of(DIR.resolve(".venv/bin/python").toString(), script),
            env,
            Duration.ofMinutes(2));
    assertThat(result.exit())
        .as("python %s failed:\n%s\n%s", script, result.out(), result.err())
        .isZero();
    return result.out();
  }

  private static synchronized void install() {
    Path marker = DIR.resolve(".venv/installed.txt");
    try {
      if (Files.exists(marker)
          && Files.readString(marker).equals(Files.readString(DIR.resolve("requirements.txt")))) {
        return;
      }
      Result venv =
          exec(
              List.of("python3", "-m", "venv", "--clear", ".venv"),
              Map.of(),
              Duration.ofMinutes(2));
      Assumptions.assumeTrue(
          venv.exit() == 0, "python3 with its venv module is not installed: " + venv.err());
      Result pip =
          exec(
              List.of(
                  DIR.resolve(".venv/bin/pip").toString(),
                  "install",
                  "-q",
                  "--disable-pip-version-check",
                  // An index that cannot be reached fails at once rather than after backoffs;
                  // pip then uses the machine's other configured indexes.
                  "--retries",
                  "0",
                  "-r",
                  "requirements.txt"),
              Map.of(),
              Duration.ofMinutes(5));
      assertThat(pip.exit()).as("pip install in clients/python:\n%s", pip.err()).isZero();
      Files.writeString(marker, Files.readString(DIR.resolve("requirements.txt")));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Result(int exit, String out, String err) {}

  private static Result exec(List<String> command, Map<String, String> env, Duration timeout) {
    try {
      Path out = Files.createTempFile("python-out", ".txt");
      Path err = Files.createTempFile("python-err", ".txt");
      ProcessBuilder builder =
          new ProcessBuilder(new ArrayList<>(command))
              .directory(DIR.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().putAll(env);
      Process process;
      try {
        process = builder.start();
      } catch (IOException notInstalled) {
        return new Result(-1, "", String.valueOf(notInstalled.getMessage()));
      }
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-2, Files.readString(out), "timed out after " + timeout);
      }
      Result result =
          new Result(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return result;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
