package dev.grizz.engine.backup;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code backup <dir>} writes a pg_dump custom-format dump of the database named by GRIZZ_DB_URL,
 * GRIZZ_DB_USER and GRIZZ_DB_PASSWORD, with a SHA-256 checksum file beside it; {@code restore
 * <file>} checks the checksum and restores into that (empty) database; {@code restore
 * s3://<bucket>/<key>} first downloads the dump and its checksum from S3-compatible storage
 * (GRIZZ_BACKUP_S3_ENDPOINT, _REGION, _PATH_STYLE; AWS credentials from the SDK's default chain).
 * Needs PostgreSQL's client tools (pg_dump, pg_restore) on the PATH.
 */
public final class BackupCommand {

  private BackupCommand() {}

  /** True when the arguments name one of these commands. */
  public static boolean handles(String[] args) {
    return args.length > 0 && (args[0].equals("backup") || args[0].equals("restore"));
  }

  /** Runs the command; returns the process exit code, having printed one line on failure. */
  public static int run(String[] args, Map<String, String> env) {
    try {
      if (args.length != 2) {
        throw new IllegalArgumentException(
            "usage: backup <directory> | restore <dump file> | restore s3://<bucket>/<key>");
      }
      Dumps.Target target = target(env);
      if (args[0].equals("backup")) {
        Path dump = Dumps.write(target, Path.of(args[1]), Clock.systemUTC());
        System.out.println(
            "grizz: backup written to " + dump + " (checksum in " + Dumps.checksumOf(dump) + ")");
      } else if (args[1].startsWith("s3://")) {
        restoreFromS3(target, URI.create(args[1]), env);
        System.out.println("grizz: restored " + args[1]);
      } else {
        Dumps.restore(target, Path.of(args[1]));
        System.out.println("grizz: restored " + args[1]);
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      System.err.println("grizz: " + args[0] + " failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static Dumps.Target target(Map<String, String> env) {
    String url = env.getOrDefault("GRIZZ_DB_URL", "");
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException(
          "GRIZZ_DB_URL must name the PostgreSQL to back up (the embedded database is backed up by copying GRIZZ_HOME)");
    }
    String user = env.getOrDefault("GRIZZ_DB_USER", "");
    if (user.isBlank()) {
      throw new IllegalArgumentException("GRIZZ_DB_USER is required");
    }
    return Dumps.Target.of(url, user, env.get("GRIZZ_DB_PASSWORD"));
  }

  /** Downloads into a temporary directory, verifies, restores, and removes the download. */
  private static void restoreFromS3(Dumps.Target target, URI location, Map<String, String> env)
      throws IOException, InterruptedException {
    String bucket = location.getHost();
    String key = location.getPath().startsWith("/") ? location.getPath().substring(1) : "";
    if (bucket == null || key.isEmpty()) {
      throw new IllegalArgumentException("expected s3://<bucket>/<key>, got " + location);
    }
    Path directory = Files.createTempDirectory("grizz-restore");
    try (S3Copies s3 = S3Copies.connect(env)) {
      Dumps.restore(target, s3.download(bucket, key, directory));
    } finally {
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }
}
