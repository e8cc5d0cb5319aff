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
 * Runs a script of the repository's {@code clients/} folder with Node.js: unmodified real clients
 * (the official SDKs, agent frameworks) pointed at an engine under test. Their packages are pinned
 * in {@code clients/package-lock.json} and installed on first use ({@code npm ci}, again whenever
 * the lock file changes). Without Node.js 20+ the calling test is skipped, as the web UI's tests
 * are; CI has it.
 */
public final class NodeClients {

  private static final Path DIR = locate();

  private NodeClients() {}

  private static Path locate() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("clients"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no clients/ folder above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("clients");
  }

  /** The output of {@code node clients/<script>} with the given environment; fails on non-zero. */
  public static String run(String script, Map<String, String> env) {
    install();
    Result result = exec(List.of("node", script), env, Duration.ofMinutes(2));
    assertThat(result.exit())
        .as("node %s failed:\n%s\n%s", script, result.out(), result.err())
        .isZero();
    return result.out();
  }

  /**
   * The {@code clients/} folder with its packages installed (skipping the calling test without
   * Node.js 20+), for a test that starts a package's program itself, e.g. an MCP server.
   */
  public static Path installed() {
    install();
    return DIR;
  }

  private static synchronized void install() {
    Result version =
        exec(List.of("node", "-p", "process.versions.node"), Map.of(), Duration.ofSeconds(20));
    Assumptions.assumeTrue(
        version.exit() == 0 && Integer.parseInt(version.out().strip().split("\\.")[0]) >= 20,
        "Node.js 20+ is not installed: the real-client tests need it");
    Path marker = DIR.resolve("node_modules/.package-lock.json");
    try {
      if (Files.exists(marker)
          && Files.getLastModifiedTime(marker)
                  .compareTo(Files.getLastModifiedTime(DIR.resolve("package-lock.json")))
              >= 0) {
        return;
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Result ci =
        exec(
            List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"),
            Map.of(),
            Duration.ofMinutes(5));
    assertThat(ci.exit()).as("npm ci in clients/:\n%s", ci.err()).isZero();
  }

  private record Result(int exit, String out, String err) {}

  private static Result exec(List<String> command, Map<String, String> env, Duration timeout) {
    try {
      Path out = Files.createTempFile("node-out", ".txt");
      Path err = Files.createTempFile("node-err", ".txt");
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
