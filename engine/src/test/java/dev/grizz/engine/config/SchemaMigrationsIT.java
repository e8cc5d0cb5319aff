package dev.grizz.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class SchemaMigrationsIT {

  @Test
  void theNewestMigrationInTheBuildIsTheHighestVersionedScript() throws IOException {
    MigrationVersion highest;
    try (Stream<Path> scripts = Files.list(Path.of("src/main/resources/db/migration"))) {
      highest =
          scripts
              .map(path -> path.getFileName().toString())
              .filter(name -> name.startsWith("V"))
              .map(name -> MigrationVersion.fromVersion(name.substring(1, name.indexOf("__"))))
              .max(Comparator.naturalOrder())
              .orElseThrow();
    }
    assertThat(SchemaMigrations.newestInBuild()).isEqualTo(highest);
  }

  @Test
  void anEmptyDatabaseIsMigratedAndACurrentOneIsLeftAsItIs() {
    DriverManagerDataSource database = freshDatabase();
    assertThat(SchemaMigrations.newestApplied(database)).isEmpty();

    assertThat(SchemaMigrations.apply(database)).as("Flyway ran").isTrue();
    assertThat(SchemaMigrations.newestApplied(database)).contains(SchemaMigrations.newestInBuild());

    assertThat(SchemaMigrations.apply(database)).as("Flyway ran").isFalse();
  }

  @Test
  void aSchemaBehindTheBuildIsMigratedToItsNewestVersion() {
    DriverManagerDataSource database = freshDatabase();
    flyway(database).target(MigrationVersion.fromVersion("1")).load().migrate();
    assertThat(SchemaMigrations.newestApplied(database))
        .contains(MigrationVersion.fromVersion("1"));

    assertThat(SchemaMigrations.apply(database)).isTrue();
    assertThat(SchemaMigrations.newestApplied(database)).contains(SchemaMigrations.newestInBuild());
  }

  @Test
  void aFailedNewestMigrationIsNotTakenForACurrentSchema() throws SQLException {
    DriverManagerDataSource database = freshDatabase();
    SchemaMigrations.apply(database);
    try (Connection c = database.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "update flyway_schema_history set success = false"
              + " where installed_rank = (select max(installed_rank) from flyway_schema_history)");
    }
    assertThat(SchemaMigrations.newestApplied(database)).isEmpty();

    // Flyway, not the fast path, decides: it refuses to start on a failed migration.
    assertThatThrownBy(() -> SchemaMigrations.apply(database))
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("failed migration");
  }

  private static DriverManagerDataSource freshDatabase() {
    TestServers.Database db = TestServers.newDatabase();
    return new DriverManagerDataSource(db.url(), db.username(), "");
  }

  private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(
      DriverManagerDataSource database) {
    return Flyway.configure().dataSource(database).locations(SchemaMigrations.LOCATION);
  }
}
