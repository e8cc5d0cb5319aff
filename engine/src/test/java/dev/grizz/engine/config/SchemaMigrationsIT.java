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
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
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

  @Test
  void responsesStoredBeforeV15BecomeChainsOfOneThatReadBackAsBefore() {
    // Migrated through V16 too: the answer step is of type response.
    DriverManagerDataSource database = freshDatabase();
    flyway(database).target(MigrationVersion.fromVersion("14")).load().migrate();
    JdbcClient jdbc = JdbcClient.create(database);
    UUID user = UUID.randomUUID();
    UUID response = UUID.randomUUID();
    jdbc.sql("insert into users (id, kind) values (:id, 'user')").param("id", user).update();
    jdbc.sql(
            """
            insert into responses (id, user_id, model, created_at, context, response)
            values (:id, :user, 'openai/gpt-4o-mini', now(), cast(:context as jsonb),
                    cast(:response as jsonb))
            """)
        .param("id", response)
        .param("user", user)
        .param(
            "context",
            """
            [{"type":"message","role":"developer","content":"be brief"},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]},
             {"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
             {"type":"function_call_output","call_id":"c1","output":"42"}]
            """)
        .param(
            "response",
            """
            {"id":"resp_x","object":"response","status":"completed","output":[
              {"type":"message","role":"assistant",
               "content":[{"type":"output_text","text":"hello"}]}],"usage":{}}
            """)
        .update();

    SchemaMigrations.apply(database);

    assertThat(
            jdbc.sql("select origin from tasks where user_id = :u")
                .param("u", user)
                .query(String.class)
                .single())
        .isEqualTo("responses");
    List<String> rows =
        jdbc.sql(
                """
                select s.type || ':' || m.role || ':' || m.content || ':' || (m.metadata ->> 'seq')
                from steps s join messages m on m.step_id = s.id
                join tasks t on t.id = s.task_id where t.user_id = :u
                order by s.type desc, (m.metadata ->> 'seq')::int
                """)
            .param("u", user)
            .query(String.class)
            .list();
    assertThat(rows)
        .containsExactly(
            "user_input:system:be brief:1",
            "user_input:user:hi:2",
            "user_input:assistant:{}:3",
            "user_input:tool:42:4",
            "response:assistant:hello:1");
    String kept =
        jdbc.sql("select (metadata -> 'response')::text from steps where id = :id")
            .param("id", response)
            .query(String.class)
            .single();
    assertThat(kept).contains("\"status\": \"completed\"").doesNotContain("hello");
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
