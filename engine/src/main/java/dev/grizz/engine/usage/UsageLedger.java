package dev.grizz.engine.usage;

import dev.grizz.engine.config.IdGenerator;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The usage ledger: every completion attempt is written here once, with its exact cost. */
@Service
public class UsageLedger {

  private final LlmUsageRepository repository;
  private final IdGenerator ids;
  private final Clock clock;

  UsageLedger(LlmUsageRepository repository, IdGenerator ids, Clock clock) {
    this.repository = repository;
    this.ids = ids;
    this.clock = clock;
  }

  /** Writes one usage row; joins the caller's transaction when there is one. */
  @Transactional
  public UsageRow record(UsageRecord record) {
    UsageRow row = new UsageRow(ids.next(), record, clock.instant());
    repository.insert(row);
    return row;
  }

  /** How a usage summary groups its rows. */
  public enum GroupBy {
    PROVIDER("provider"),
    MODEL("provider || '/' || model"),
    DAY("to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')");

    private final String expression;

    GroupBy(String expression) {
      this.expression = expression;
    }
  }

  /** The user's usage from {@code from} to {@code to} (both whole UTC days, inclusive). */
  @Transactional(readOnly = true)
  public UsageSummary summary(
      UUID userId, java.time.LocalDate from, java.time.LocalDate to, GroupBy groupBy) {
    List<UsageSummary.Row> rows =
        repository.summary(
            userId,
            from.atStartOfDay().toInstant(java.time.ZoneOffset.UTC),
            to.plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC),
            groupBy.expression);
    UsageSummary.Row total =
        new UsageSummary.Row(
            "total",
            rows.stream().mapToLong(UsageSummary.Row::attempts).sum(),
            rows.stream().mapToLong(UsageSummary.Row::promptTokens).sum(),
            rows.stream().mapToLong(UsageSummary.Row::completionTokens).sum(),
            rows.stream()
                .map(UsageSummary.Row::usageCents)
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add));
    return new UsageSummary(
        from, to, groupBy.name().toLowerCase(java.util.Locale.ROOT), rows, total);
  }

  /** Cuts the link between a user and their usage rows, which stay for billing. */
  @Transactional
  public int unlinkUser(UUID userId) {
    return repository.unlinkUser(userId);
  }

  /** A user's usage rows, oldest first, for an export. */
  @Transactional(readOnly = true)
  public List<UsageRow> forUser(UUID userId) {
    return repository.forUser(userId);
  }

  @Transactional(readOnly = true)
  public List<UsageRow> forStep(UUID stepId) {
    return repository.forStep(stepId);
  }
}
