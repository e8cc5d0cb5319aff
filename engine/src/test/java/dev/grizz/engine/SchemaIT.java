package dev.grizz.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The migrations build the blueprint's data model on an empty database. */
class SchemaIT {

  /** Blueprint §4, column for column, with the types the architecture fixes. */
  private static final Map<String, Map<String, String>> BLUEPRINT =
      Map.of(
          "tasks",
          columns(
              "id uuid",
              "user_id uuid",
              "status text",
              "title text",
              "created_at timestamp with time zone",
              "updated_at timestamp with time zone"),
          "steps",
          columns(
              "id uuid",
              "task_id uuid",
              "parent_step_id uuid",
              "type text",
              "status text",
              "provider text",
              "prompt_tokens integer",
              "completion_tokens integer",
              "usage_cents numeric",
              "created_at timestamp with time zone",
              "updated_at timestamp with time zone",
              "metadata jsonb"),
          "messages",
          columns(
              "id uuid",
              "step_id uuid",
              "role text",
              "content text",
              "token_count integer",
              "created_at timestamp with time zone",
              "metadata jsonb"),
          "policy_violations",
          columns(
              "id uuid",
              "user_id uuid",
              "content text",
              "categories jsonb",
              "scores jsonb",
              "timestamp timestamp with time zone",
              "reviewed boolean",
              "action_taken text",
              // moderation's own additions (V5): what the review and the chat integration rely on
              "direction text",
              "step_id uuid",
              "review_action text",
              "reviewed_by uuid",
              "reviewed_at timestamp with time zone",
              "review_note text"),
          "prompts",
          columns("hash text", "template text", "created_at timestamp with time zone"),
          "llm_usage",
          columns(
              "id uuid",
              "step_id uuid",
              "provider text",
              "model text",
              "prompt_tokens integer",
              "completion_tokens integer",
              "usage_cents numeric",
              "time_to_first_token_ms integer",
              "total_ms integer",
              "outcome text",
              "created_at timestamp with time zone"),
          "audit_log",
          columns("id uuid", "actor_id uuid", "action text", "created_at timestamp with time zone"),
          "users",
          columns(
              "id uuid",
              "kind text",
              "created_at timestamp with time zone",
              "suspended_at timestamp with time zone"));

  private static TestServers.Database db;
  private static MigrateResult migration;

  @BeforeAll
  static void migrateAnEmptyDatabase() {
    db = TestServers.newDatabase();
    migration =
        Flyway.configure()
            .dataSource(db.url(), db.username(), "")
            .locations("classpath:db/migration")
            .load()
            .migrate();
  }

  @Test
  void migrationsApplyToAnEmptyDatabase() {
    assertThat(migration.success).isTrue();
    assertThat(migration.migrationsExecuted).isPositive();
  }

  @Test
  void hasTheBlueprintColumnsWithTheirTypes() throws SQLException {
    try (Connection c = db.connect()) {
      for (var table : BLUEPRINT.entrySet()) {
        Map<String, String> actual = new HashMap<>();
        try (var query =
            c.prepareStatement(
                "select column_name, data_type from information_schema.columns"
                    + " where table_schema = 'public' and table_name = ?")) {
          query.setString(1, table.getKey());
          try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
              actual.put(rs.getString(1), rs.getString(2));
            }
          }
        }
        assertThat(actual).as(table.getKey()).containsAllEntriesOf(table.getValue());
      }
    }
  }

  @Test
  void noMoneyColumnIsAFloat() throws SQLException {
    try (Connection c = db.connect();
        var query =
            c.prepareStatement(
                "select table_name || '.' || column_name from information_schema.columns"
                    + " where table_schema = 'public' and column_name like '%cents%'"
                    + " and data_type <> 'numeric'");
        ResultSet rs = query.executeQuery()) {
      assertThat(rs.next()).as("a cents column that is not numeric").isFalse();
    }
  }

  @Test
  void everyForeignKeyIsIndexedOrAPrimaryKey() throws SQLException {
    String sql =
        """
        select c.conrelid::regclass || '.' || a.attname
        from pg_constraint c
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype = 'f' and c.connamespace = 'public'::regnamespace
          and not exists (
            select 1 from pg_index i
            where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1])
        """;
    try (Connection c = db.connect();
        var query = c.prepareStatement(sql);
        ResultSet rs = query.executeQuery()) {
      List<String> unindexed = new java.util.ArrayList<>();
      while (rs.next()) {
        unindexed.add(rs.getString(1));
      }
      assertThat(unindexed).as("foreign keys with no index to follow them").isEmpty();
    }
  }

  private static Map<String, String> columns(String... nameAndType) {
    Map<String, String> columns = new HashMap<>();
    for (String column : nameAndType) {
      int space = column.indexOf(' ');
      columns.put(column.substring(0, space), column.substring(space + 1));
    }
    return columns;
  }
}
