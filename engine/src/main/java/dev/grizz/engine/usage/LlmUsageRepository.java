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

  /**
   * The rows that count toward what a user has used: all but engine retries (an attempt whose
   * answer was not kept because a later attempt took its step over). Their usage_cents is 0 anyway;
   * their tokens must not count either.
   */
  private static final String BILLED = "outcome <> 'engine_retry'";

  private final JdbcClient jdbc;

  LlmUsageRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(UsageRow row) {
    UsageRecord r = row.record();
    jdbc.sql(
            """
            insert into llm_usage (id, step_id, user_id, provider, model, prompt_tokens,
                completion_tokens, usage_cents, provider_cents, estimated, time_to_first_token_ms,
                total_ms, outcome, error_code, created_at, api_key_id)
            values (:id, :stepId, :userId, :provider, :model, :promptTokens, :completionTokens,
                :usageCents, :providerCents, :estimated, :ttft, :totalMs, :outcome, :errorCode,
                :createdAt, :key)
            """)
        .param("id", row.id())
        .param("stepId", r.stepId())
        .param("userId", r.userId())
        .param("provider", r.provider())
        .param("model", r.model())
        .param("promptTokens", r.promptTokens())
        .param("completionTokens", r.completionTokens())
        .param("usageCents", r.usageCents())
        .param("providerCents", r.providerCents())
        .param("estimated", r.estimated())
        .param(
            "ttft", r.timeToFirstTokenMs() == null ? null : Math.toIntExact(r.timeToFirstTokenMs()))
        .param("totalMs", Math.toIntExact(r.totalMs()))
        .param("outcome", r.outcome().name().toLowerCase(Locale.ROOT))
        .param("errorCode", r.errorCode())
        .param("createdAt", Timestamp.from(row.createdAt()))
        .param("key", r.apiKeyId())
        .update();
  }

  int unlinkUser(UUID userId) {
    return jdbc.sql("update llm_usage set user_id = null where user_id = :u")
        .param("u", userId)
        .update();
  }

  List<UsageRow> forUser(UUID userId) {
    return jdbc.sql("select * from llm_usage where user_id = :u order by created_at, id")
        .param("u", userId)
        .query(LlmUsageRepository::map)
        .list();
  }

  List<UsageRow> forStep(UUID stepId) {
    return jdbc.sql("select * from llm_usage where step_id = :stepId order by created_at, id")
        .param("stepId", stepId)
        .query(LlmUsageRepository::map)
        .list();
  }

  /** Whose spend a budget limits: a user's, or an API key's. Names are fixed, never input. */
  enum Spender {
    USER("user_id", "budgets"),
    API_KEY("api_key_id", "key_budgets");

    private final String column;
    private final String budgetTable;

    Spender(String column, String budgetTable) {
      this.column = column;
      this.budgetTable = budgetTable;
    }
  }

  BigDecimal centsSince(Spender spender, UUID id, java.time.Instant since) {
    return jdbc.sql(
            "select coalesce(sum(usage_cents), 0) from llm_usage where %s = :id and created_at >= :since"
                .formatted(spender.column))
        .param("id", id)
        .param("since", Timestamp.from(since))
        .query(BigDecimal.class)
        .single();
  }

  long tokensSince(Spender spender, UUID id, java.time.Instant since) {
    return jdbc.sql(
            """
            select coalesce(sum(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)), 0)
            from llm_usage where %s = :id and created_at >= :since and %s
            """
                .formatted(spender.column, BILLED))
        .param("id", id)
        .param("since", Timestamp.from(since))
        .query(Long.class)
        .single();
  }

  java.util.Optional<Budgets.Limits> budget(Spender spender, UUID id) {
    return jdbc.sql(
            "select daily_cents, monthly_cents, tokens_per_minute from %s where %s = :id"
                .formatted(spender.budgetTable, spender.column))
        .param("id", id)
        .query(
            (rs, n) ->
                new Budgets.Limits(
                    rs.getBigDecimal("daily_cents"),
                    rs.getBigDecimal("monthly_cents"),
                    rs.getObject("tokens_per_minute", Integer.class)))
        .optional();
  }

  void saveBudget(Spender spender, UUID id, Budgets.Limits limits, java.time.Instant at) {
    jdbc.sql(
            """
            insert into %1$s (%2$s, daily_cents, monthly_cents, tokens_per_minute, updated_at)
            values (:id, :d, :m, :t, :at)
            on conflict (%2$s) do update set daily_cents = excluded.daily_cents,
                monthly_cents = excluded.monthly_cents,
                tokens_per_minute = excluded.tokens_per_minute, updated_at = excluded.updated_at
            """
                .formatted(spender.budgetTable, spender.column))
        .param("id", id)
        .param("d", limits.dailyCents())
        .param("m", limits.monthlyCents())
        .param("t", limits.tokensPerMinute())
        .param("at", Timestamp.from(at))
        .update();
  }

  /** Totals per group between two instants; {@code groupExpression} is one of a fixed set. */
  List<UsageSummary.Row> summary(
      java.util.UUID userId, java.time.Instant from, java.time.Instant to, String groupExpression) {
    return jdbc.sql(
            """
            select %s as key, count(*) as attempts,
                coalesce(sum(prompt_tokens), 0) as prompt_tokens,
                coalesce(sum(completion_tokens), 0) as completion_tokens,
                coalesce(sum(usage_cents), 0) as usage_cents
            from llm_usage where user_id = :u and created_at >= :from and created_at < :to
              and %s
            group by 1 order by 1
            """
                .formatted(groupExpression, BILLED))
        .param("u", userId)
        .param("from", Timestamp.from(from))
        .param("to", Timestamp.from(to))
        .query(
            (rs, n) ->
                new UsageSummary.Row(
                    rs.getString("key"),
                    rs.getLong("attempts"),
                    rs.getLong("prompt_tokens"),
                    rs.getLong("completion_tokens"),
                    rs.getBigDecimal("usage_cents")))
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
            rs.getObject("provider_cents", BigDecimal.class),
            rs.getBoolean("estimated"),
            ttftOrNull,
            rs.getLong("total_ms"),
            UsageRecord.Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)),
            rs.getString("error_code"),
            rs.getObject("api_key_id", UUID.class));
    return new UsageRow(
        rs.getObject("id", UUID.class), record, rs.getTimestamp("created_at").toInstant());
  }
}
