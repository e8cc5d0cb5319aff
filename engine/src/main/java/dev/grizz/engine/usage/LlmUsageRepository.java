package dev.grizz.engine.usage;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class LlmUsageRepository {

  private final JdbcClient jdbc;

  LlmUsageRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(UsageRow row) {
    UsageRecord r = row.record();
    jdbc.sql(
            """
            insert into llm_usage (id, step_id, user_id, provider, model, prompt_tokens,
                completion_tokens, usage_cents, estimated, time_to_first_token_ms, total_ms,
                outcome, error_code, created_at)
            values (:id, :stepId, :userId, :provider, :model, :promptTokens, :completionTokens,
                :usageCents, :estimated, :ttft, :totalMs, :outcome, :errorCode, :createdAt)
            """)
        .param("id", row.id())
        .param("stepId", r.stepId())
        .param("userId", r.userId())
        .param("provider", r.provider())
        .param("model", r.model())
        .param("promptTokens", r.promptTokens())
        .param("completionTokens", r.completionTokens())
        .param("usageCents", r.usageCents())
        .param("estimated", r.estimated())
        .param(
            "ttft", r.timeToFirstTokenMs() == null ? null : Math.toIntExact(r.timeToFirstTokenMs()))
        .param("totalMs", Math.toIntExact(r.totalMs()))
        .param("outcome", r.outcome().name().toLowerCase(Locale.ROOT))
        .param("errorCode", r.errorCode())
        .param("createdAt", Timestamp.from(row.createdAt()))
        .update();
  }

  List<UsageRow> forStep(UUID stepId) {
    return jdbc.sql("select * from llm_usage where step_id = :stepId order by created_at, id")
        .param("stepId", stepId)
        .query(LlmUsageRepository::map)
        .list();
  }

  private static UsageRow map(ResultSet rs, int rowNum) throws SQLException {
    long ttft = rs.getLong("time_to_first_token_ms");
    Long ttftOrNull = rs.wasNull() ? null : ttft;
    UsageRecord record =
        new UsageRecord(
            rs.getObject("step_id", UUID.class),
            rs.getObject("user_id", UUID.class),
            rs.getString("provider"),
            rs.getString("model"),
            rs.getObject("prompt_tokens", Integer.class),
            rs.getObject("completion_tokens", Integer.class),
            rs.getObject("usage_cents", BigDecimal.class),
            rs.getBoolean("estimated"),
            ttftOrNull,
            rs.getLong("total_ms"),
            UsageRecord.Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)),
            rs.getString("error_code"));
    return new UsageRow(
        rs.getObject("id", UUID.class), record, rs.getTimestamp("created_at").toInstant());
  }
}
