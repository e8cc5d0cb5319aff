package dev.grizz.engine.backup;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code backup <dir>} writes a pg_dump custom-format dump of the database named by GRIZZ_DB_URL,
 * GRIZZ_DB_USER and GRIZZ_DB_PASSWORD, with a SHA-256 checksum file beside it; {@code restore
 * <file>} checks the checksum and restores into that (empty) database. Needs PostgreSQL's client
 * tools (pg_dump, pg_restore) on the PATH.
 */
public final class BackupCommand {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private BackupCommand() {}

  /** True when the arguments name one of these commands. */
  public static boolean handles(String[] args) {
    return args.length > 0 && (args[0].equals("backup") || args[0].equals("restore"));
  }

  /** Runs the command; returns the process exit code, having printed one line on failure. */
  public static int run(String[] args, Map<String, String> env) {
    try {
      if (args.length != 2) {
        throw new IllegalArgumentException("usage: backup <directory> | restore <dump file>");
      }
      Target target = Target.from(env);
      if (args[0].equals("backup")) {
        Path dump = backup(target, Path.of(args[1]));
        System.out.println(
            "grizz: backup written to " + dump + " (checksum in " + dump + ".sha256)");
      } else {
        restore(target, Path.of(args[1]));
        System.out.println("grizz: restored " + args[1]);
      }
      return 0;
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("grizz: " + args[0] + " failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** Where the database is, as pg_dump and pg_restore take it. */
  record Target(String connection, String password) {
    static Target from(Map<String, String> env) {
      String url = env.getOrDefault("GRIZZ_DB_URL", "");
      if (!url.startsWith("jdbc:postgresql://")) {
        throw new IllegalArgumentException(
            "GRIZZ_DB_URL must name the PostgreSQL to back up (the embedded database is backed up by copying GRIZZ_HOME)");
      }
      String user = env.getOrDefault("GRIZZ_DB_USER", "");
      if (user.isBlank()) {
        throw new IllegalArgumentException("GRIZZ_DB_USER is required");
      }
      URI uri = URI.create(url.substring("jdbc:".length()));
      String connection =
          "postgresql://"
              + user
              + "@"
              + uri.getHost()
              + ":"
              + (uri.getPort() < 0 ? 5432 : uri.getPort())
              + uri.getPath();
      return new Target(connection, env.getOrDefault("GRIZZ_DB_PASSWORD", ""));
    }
  }

  static Path backup(Target target, Path directory) throws IOException, InterruptedException {
    Files.createDirectories(directory);
    Path dump = directory.resolve("grizz-" + LocalDateTime.now().format(STAMP) + ".dump");
    exec(
        target,
        List.of(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--file=" + dump,
            "--dbname=" + target.connection()));
    Files.writeString(Path.of(dump + ".sha256"), sha256(dump) + "  " + dump.getFileName() + "\n");
    return dump;
  }

  static void restore(Target target, Path dump) throws IOException, InterruptedException {
    Path checksum = Path.of(dump + ".sha256");
    if (!Files.exists(checksum)) {
      throw new IllegalArgumentException("no checksum file " + checksum);
    }
    String expected = Files.readString(checksum).strip().split("\\s+")[0];
    if (!expected.equals(sha256(dump))) {
      throw new IllegalArgumentException(
          dump + " does not match its checksum: refusing to restore it");
    }
    exec(
        target,
        List.of(
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            "--dbname=" + target.connection(),
            dump.toString()));
  }

  private static void exec(Target target, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    if (!target.password().isBlank()) {
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
