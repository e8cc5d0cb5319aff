package dev.grizz.engine.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Brings the database schema up to the migrations in this build (Flyway, {@code db/migration}).
 *
 * <p>Most starts find the schema already current: then one query replaces creating Flyway and
 * letting it scan, validate and lock (about 0.2 s of CPU on the start-up path). Whenever the schema
 * history's newest successful version is not this build's newest migration, Flyway runs as usual,
 * with its validation. What the fast path skips is re-checking the checksums of migrations that are
 * already applied; Flyway checks them again at the next start that applies a migration.
 */
final class SchemaMigrations {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

  static final String LOCATION = "classpath:db/migration";

  private SchemaMigrations() {}

  /** Whether Flyway had to run. */
  static boolean apply(DataSource dataSource) {
    MigrationVersion newest = newestInBuild();
    if (newestApplied(dataSource).filter(newest::equals).isPresent()) {
      return false;
    }
    MigrateResult result =
        Flyway.configure().dataSource(dataSource).locations(LOCATION).load().migrate();
    if (result.migrationsExecuted > 0) {
      LOG.info(
          "Database schema migrated to version {} ({} migrations)",
          result.targetSchemaVersion,
          result.migrationsExecuted);
    }
    return true;
  }

  static MigrationVersion newestInBuild() {
    try {
      Resource[] scripts =
          new PathMatchingResourcePatternResolver().getResources(LOCATION + "/V*__*.sql");
      return Arrays.stream(scripts)
          .map(Resource::getFilename)
          .filter(Objects::nonNull)
          .map(name -> MigrationVersion.fromVersion(name.substring(1, name.indexOf("__"))))
          .max(Comparator.naturalOrder())
          .orElseThrow(() -> new IllegalStateException("no migrations in " + LOCATION));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the migrations in " + LOCATION, e);
    }
  }

  /** The version of the newest migration in the schema history, if it succeeded. */
  static Optional<MigrationVersion> newestApplied(DataSource dataSource) {
    // to_regclass resolves the name on the search path, where Flyway keeps its table by default.
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery("select to_regclass('flyway_schema_history') is not null")) {
        exists.next();
        if (!exists.getBoolean(1)) {
          return Optional.empty();
        }
      }
      try (ResultSet newest =
          statement.executeQuery(
              "select version, success from flyway_schema_history where version is not null"
                  + " order by installed_rank desc limit 1")) {
        return newest.next() && newest.getBoolean("success")
            ? Optional.of(MigrationVersion.fromVersion(newest.getString("version")))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the schema history: " + e.getMessage(), e);
    }
  }
}
