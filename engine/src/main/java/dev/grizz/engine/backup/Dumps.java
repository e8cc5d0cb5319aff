package dev.grizz.engine.backup;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Dump files: pg_dump custom format named {@code grizz-<UTC time>.dump}, each with a {@code
 * .sha256} file beside it. The name carries the time so that sorting names sorts dumps, locally and
 * in a bucket; files with other names in the directory are never touched.
 */
final class Dumps {

  static final String CHECKSUM_SUFFIX = ".sha256";
  static final Pattern NAME = Pattern.compile("grizz-(\\d{8}-\\d{6})\\.dump");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private Dumps() {}

  /** Where the database is, as pg_dump and pg_restore take it; the password goes by PGPASSWORD. */
  record Target(String connection, @Nullable String password) {

    /** From a JDBC URL such as jdbc:postgresql://host:5432/grizz (query parameters are dropped). */
    static Target of(String jdbcUrl, String user, @Nullable String password) {
      if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
        throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
      }
      URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
      String connection =
          "postgresql://"
              + user
              + "@"
              + uri.getHost()
              + ":"
              + (uri.getPort() < 0 ? 5432 : uri.getPort())
              + uri.getPath();
      return new Target(connection, password == null || password.isBlank() ? null : password);
    }
  }

  static Path checksumOf(Path dump) {
    return dump.resolveSibling(dump.getFileName() + CHECKSUM_SUFFIX);
  }

  /** Writes a dump and its checksum file into {@code directory}; returns the dump. */
  static Path write(Target target, Path directory, Clock clock)
      throws IOException, InterruptedException {
    Files.createDirectories(directory);
    String stamp = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).format(STAMP);
    Path dump = directory.resolve("grizz-" + stamp + ".dump");
    if (Files.exists(dump)) {
      throw new IOException(dump + " already exists: one dump a second at most");
    }
    // Written under a temporary name and moved, so a crash never leaves a half dump that looks
    // like a real one (and pruning never counts it).
    Path partial = directory.resolve(dump.getFileName() + ".partial");
    try {
      exec(
          target,
          List.of(
              "pg_dump",
              "--format=custom",
              "--no-owner",
              "--file=" + partial,
              "--dbname=" + target.connection()));
      Files.move(partial, dump);
    } finally {
      Files.deleteIfExists(partial);
    }
    Files.writeString(checksumOf(dump), sha256(dump) + "  " + dump.getFileName() + "\n");
    return dump;
  }

  /** Checks the dump against its checksum file, then restores it into the target database. */
  static void restore(Target target, Path dump) throws IOException, InterruptedException {
    verify(dump);
    exec(
        target,
        List.of(
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            "--dbname=" + target.connection(),
            dump.toString()));
  }

  static void verify(Path dump) throws IOException {
    Path checksum = checksumOf(dump);
    if (!Files.exists(checksum)) {
      throw new IllegalArgumentException("no checksum file " + checksum);
    }
    String expected = Files.readString(checksum).strip().split("\\s+")[0];
    if (!expected.equals(sha256(dump))) {
      throw new IllegalArgumentException(
          dump + " does not match its checksum: refusing to restore it");
    }
  }

  /** The dumps in a directory, oldest first. */
  static List<Path> list(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(file -> NAME.matcher(file.getFileName().toString()).matches())
          .sorted()
          .toList();
    }
  }

  /** Deletes the oldest dumps, with their checksum files, so that {@code keep} remain. */
  static List<Path> prune(Path directory, int keep) throws IOException {
    List<Path> dumps = list(directory);
    List<Path> deleted = new ArrayList<>();
    for (Path dump : dumps.subList(0, Math.max(0, dumps.size() - keep))) {
      Files.deleteIfExists(checksumOf(dump));
      Files.deleteIfExists(dump);
      deleted.add(dump);
    }
    return deleted;
  }

  /** When a dump was taken, read from its name. */
  static Optional<Instant> takenAt(String fileName) {
    Matcher name = NAME.matcher(fileName);
    if (!name.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.parse(name.group(1), STAMP).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** True when pg_dump can be run. */
  static boolean clientToolsInstalled() {
    try {
      return new ProcessBuilder("pg_dump", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void exec(Target target, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    if (target.password() != null) {
      builder.environment().put("PGPASSWORD", target.password());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException(
          command.getFirst() + " is not installed (PostgreSQL client tools are needed)", e);
    }
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException(
          command.getFirst() + " failed: " + output.strip().replaceAll("\\s+", " "));
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      int read;
      while ((read = in.read(buffer)) > 0) {
        digest.update(buffer, 0, read);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
