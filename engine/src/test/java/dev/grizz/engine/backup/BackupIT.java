package dev.grizz.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backs a database up, restores it into a fresh one, and compares every table. Needs PostgreSQL's
 * client tools, which CI installs; on a machine without pg_dump the class is skipped (the command
 * itself then reports that the tools are missing).
 */
@EnabledIf("clientToolsInstalled")
class BackupIT {

  static boolean clientToolsInstalled() {
    try {
      return new ProcessBuilder("pg_dump", "--version").start().waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @TempDir Path dir;

  static Map<String, String> env(TestServers.Database db) {
    return Map.of("GRIZZ_DB_URL", db.url(), "GRIZZ_DB_USER", db.username());
  }

  /** Row count and a checksum of the rows' text, per table. */
  static Map<String, String> fingerprint(TestServers.Database db) throws Exception {
    Map<String, String> tables = new LinkedHashMap<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "select tablename from pg_tables where schemaname = 'public' order by 1")) {
        while (rs.next()) {
          tables.put(rs.getString(1), "");
        }
      }
      for (String table : tables.keySet()) {
        try (ResultSet rs =
            s.executeQuery(
                "select count(*), md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from "
                    + table
                    + " t")) {
          rs.next();
          tables.put(table, rs.getLong(1) + ":" + rs.getString(2));
        }
      }
    }
    return tables;
  }

  @Test
  void aBackupRestoresIntoAFreshDatabaseTableForTable() throws Exception {
    TestServers.Database source = TestServers.newDatabase();
    Flyway.configure().dataSource(source.url(), source.username(), "").load().migrate();
    try (Connection c = source.connect();
        Statement s = c.createStatement()) {
      UUID task = UUID.randomUUID();
      s.execute(
          "insert into tasks (id, user_id, status, title, created_at, updated_at) values ('"
              + task
              + "', '00000000-0000-7000-8000-000000000001', 'active', 'kept safe', now(), now())");
      s.execute(
          "insert into steps (id, task_id, type, status, usage_cents, created_at, updated_at, metadata) values ('"
              + UUID.randomUUID()
              + "', '"
              + task
              + "', 'llm', 'completed', 0.000495, now(), now(), '{\"model\": \"m\"}')");
    }

    int backedUp = BackupCommand.run(new String[] {"backup", dir.toString()}, env(source));
    assertThat(backedUp).isZero();
    Path dump;
    try (var files = Files.list(dir)) {
      dump = files.filter(f -> f.toString().endsWith(".dump")).findFirst().orElseThrow();
    }
    assertThat(Path.of(dump + ".sha256")).exists();

    TestServers.Database target = TestServers.newDatabase();
    int restored = BackupCommand.run(new String[] {"restore", dump.toString()}, env(target));

    assertThat(restored).isZero();
    assertThat(fingerprint(target)).isEqualTo(fingerprint(source)).containsKey("tasks");
  }

  @Test
  void aCorruptedDumpIsNotRestored() throws Exception {
    TestServers.Database source = TestServers.newDatabase();
    Flyway.configure().dataSource(source.url(), source.username(), "").load().migrate();
    assertThat(BackupCommand.run(new String[] {"backup", dir.toString()}, env(source))).isZero();
    Path dump;
    try (var files = Files.list(dir)) {
      dump = files.filter(f -> f.toString().endsWith(".dump")).findFirst().orElseThrow();
    }
    Files.write(dump, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

    assertThat(
            BackupCommand.run(
                new String[] {"restore", dump.toString()}, env(TestServers.newDatabase())))
        .isEqualTo(1);
  }
}
