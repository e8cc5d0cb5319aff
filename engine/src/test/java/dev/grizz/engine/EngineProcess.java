package dev.grizz.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An engine in a process of its own, so a test can kill it as a crash would (SIGKILL). */
public final class EngineProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private EngineProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * The engine's main class on this JVM's classpath, with only the given GRIZZ_* variables and its
   * output (both streams) in {@code log}.
   */
  public static ProcessBuilder command(Map<String, String> env, Path log) {
    return command(env, log, List.of());
  }

  /** As {@link #command(Map, Path)}, with these options for the engine's JVM. */
  public static ProcessBuilder command(Map<String, String> env, Path log, List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), GrizzApplication.class.getName()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("GRIZZ_"));
    builder.environment().put("GRIZZ_SIGNING_KEYS", TestServers.SIGNING_KEYS);
    builder.environment().put("GRIZZ_RATE_MESSAGES_ANONYMOUS", TestServers.NO_LIMIT);
    builder.environment().put("GRIZZ_RATE_MESSAGES_USER", TestServers.NO_LIMIT);
    builder.environment().putAll(env);
    return builder;
  }

  /** Starts the engine with these environment variables and waits until it answers. */
  public static EngineProcess start(Path home, Map<String, String> env) {
    return start(home, env, List.of());
  }

  /** As {@link #start(Path, Map)}, with these options for the engine's JVM. */
  public static EngineProcess start(Path home, Map<String, String> env, List<String> jvmOptions) {
    int port = TestServers.freePort();
    Path log = home.resolve("engine-" + port + ".log");
    ProcessBuilder builder = command(env, log, jvmOptions);
    builder.environment().put("GRIZZ_PORT", Integer.toString(port));
    builder.environment().put("GRIZZ_HOME", home.toString());
    try {
      EngineProcess engine = new EngineProcess(builder.start(), port, log);
      engine.awaitHealthy();
      return engine;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitHealthy() throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the engine exited: " + Files.readString(log));
      }
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("the engine did not become healthy: " + Files.readString(log));
  }

  public int port() {
    return port;
  }

  /**
   * What {@code jcmd} says of the running engine for this diagnostic command (e.g. {@code
   * Thread.vthread_scheduler}).
   */
  public String jcmd(String command) throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()),
                command)
            .redirectErrorStream(true)
            .start();
    String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    return output;
  }

  /** Kills the process with SIGKILL: no shutdown hooks, no cleanup, like a crashed pod. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the process with SIGTERM, as Kubernetes stops a pod (its drain runs), and waits up to
   * {@code limit} for it to exit. Returns its exit code.
   */
  public int terminate(Duration limit) {
    process.destroy();
    try {
      if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the engine did not stop within " + limit);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What the engine has logged so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
