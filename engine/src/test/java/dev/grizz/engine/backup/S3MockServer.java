package dev.grizz.engine.backup;

import dev.grizz.engine.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Adobe's S3Mock, a real S3-compatible server, run as a separate process from the executable jar
 * that the build copies to target/s3mock (it is a Spring Boot application of its own and would
 * clash with the engine's on one classpath). HTTP only, on a free port, storing in a temporary
 * directory that {@link #close()} removes.
 */
final class S3MockServer implements AutoCloseable {

  static final Path JAR = Path.of("target/s3mock/s3mock.jar");

  private final Process process;
  private final Path root;
  private final URI endpoint;

  private S3MockServer(Process process, Path root, URI endpoint) {
    this.process = process;
    this.root = root;
    this.endpoint = endpoint;
  }

  static boolean available() {
    return Files.isRegularFile(JAR);
  }

  /** Starts the server with the given buckets and waits until it answers. */
  static S3MockServer start(String... buckets) throws IOException, InterruptedException {
    Path root = Files.createTempDirectory("grizz-s3mock");
    int port = TestServers.freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    JAR.toAbsolutePath().toString(),
                    "--server.port=0",
                    "--com.adobe.testing.s3mock.http-port=" + port,
                    "--com.adobe.testing.s3mock.store.root=" + root.resolve("store"),
                    "--com.adobe.testing.s3mock.store.initial-buckets=" + String.join(",", buckets),
                    "--logging.level.root=WARN"))
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("s3mock.log").toFile())
            .start();
    S3MockServer server = new S3MockServer(process, root, URI.create("http://127.0.0.1:" + port));
    try {
      server.awaitReady(Duration.ofSeconds(90));
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  URI endpoint() {
    return endpoint;
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    try (HttpClient http = HttpClient.newHttpClient()) {
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IOException(
              "S3Mock exited: " + Files.readString(root.resolve("s3mock.log")).strip());
        }
        try {
          http.send(
              HttpRequest.newBuilder(endpoint.resolve("/")).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding());
          return;
        } catch (IOException notYet) {
          Thread.sleep(200);
        }
      }
    }
    throw new IOException("S3Mock did not answer within " + timeout);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
