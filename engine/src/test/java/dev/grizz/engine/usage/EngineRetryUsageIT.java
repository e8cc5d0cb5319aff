package dev.grizz.engine.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * An attempt lost to an engine retry (a restarted step whose answer is not the one kept) is in the
 * ledger with what the provider charged, but the user pays nothing for it: it counts toward no
 * budget, no token rate and no usage total.
 */
@EngineIT
class EngineRetryUsageIT {

  @LocalServerPort int port;
  @Autowired UsageLedger ledger;
  @Autowired Budgets budgets;

  UUID user;

  @BeforeEach
  void aUser() {
    user = new ApiClient(port).userId();
  }

  private UsageRecord row(UsageRecord.Outcome outcome, String billed, String charged, int tokens) {
    return new UsageRecord(
        null,
        user,
        "demo",
        "demo",
        tokens / 2,
        tokens - tokens / 2,
        new BigDecimal(billed),
        new BigDecimal(charged),
        false,
        120L,
        900,
        outcome,
        null,
        null);
  }

  @Test
  void aLostAttemptIsKeptForOperatorsButNotBilled() {
    ledger.record(row(UsageRecord.Outcome.ENGINE_RETRY, "0", "7.5", 1000));
    ledger.record(row(UsageRecord.Outcome.COMPLETED, "3.25", "3.25", 40));

    assertThat(ledger.forUser(user))
        .extracting(r -> r.record().outcome(), r -> r.record().providerCents())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                UsageRecord.Outcome.ENGINE_RETRY, new BigDecimal("7.5")),
            org.assertj.core.groups.Tuple.tuple(
                UsageRecord.Outcome.COMPLETED, new BigDecimal("3.25")));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    UsageSummary.Row total = ledger.summary(user, today, today, UsageLedger.GroupBy.MODEL).total();
    assertThat(total.attempts()).isEqualTo(1);
    assertThat(total.usageCents()).isEqualByComparingTo("3.25");
    assertThat(total.promptTokens() + total.completionTokens()).isEqualTo(40);
  }

  @Test
  void aLostAttemptsTokensDoNotCountTowardTheTokenRate() {
    budgets.setLimits(user, new Budgets.Limits(new BigDecimal("4"), null, 100));
    ledger.record(row(UsageRecord.Outcome.ENGINE_RETRY, "0", "50", 1000));
    ledger.record(row(UsageRecord.Outcome.COMPLETED, "3.25", "3.25", 40));

    budgets.check(user, null, 50);
  }

  @Test
  void theDatabaseRefusesToBillAnEngineRetry() {
    assertThatThrownBy(() -> ledger.record(row(UsageRecord.Outcome.ENGINE_RETRY, "1", "1", 10)))
        .isInstanceOf(DataIntegrityViolationException.class);
  }
}
