package dev.grizz.engine.api;

import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.usage.Budgets;
import dev.grizz.engine.usage.UsageLedger;
import dev.grizz.engine.usage.UsageSummary;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's usage and budget. */
@RestController
class UsageController {

  private final UsageLedger ledger;
  private final Budgets budgets;
  private final CurrentUser user;
  private final Clock clock;

  UsageController(UsageLedger ledger, Budgets budgets, CurrentUser user, Clock clock) {
    this.ledger = ledger;
    this.budgets = budgets;
    this.user = user;
    this.clock = clock;
  }

  /** Usage between two UTC dates (inclusive; default: this month so far), grouped. */
  @GetMapping("/api/v1/usage")
  UsageSummary usage(
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
          @Nullable LocalDate from,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
          @Nullable LocalDate to,
      @RequestParam(name = "group_by", defaultValue = "provider") String groupBy,
      @RequestParam(name = "user_id", required = false) @Nullable UUID userId) {
    LocalDate today = LocalDate.now(clock);
    LocalDate start = from != null ? from : today.withDayOfMonth(1);
    LocalDate end = to != null ? to : today;
    if (end.isBefore(start)) {
      throw new InvalidUsageQueryException("to must not be before from.");
    }
    UsageLedger.GroupBy group;
    try {
      group = UsageLedger.GroupBy.valueOf(groupBy.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidUsageQueryException("group_by must be provider, model or day.");
    }
    return ledger.summary(subject(userId), start, end, group);
  }

  @GetMapping("/api/v1/usage/budget")
  Budgets.Limits budget(@RequestParam(name = "user_id", required = false) @Nullable UUID userId) {
    return budgets.limits(subject(userId));
  }

  /** The caller, or with {@code user_id} any user for an admin (others get a 404). */
  private UUID subject(@Nullable UUID userId) {
    if (userId == null) {
      return user.id();
    }
    if (!user.maySee(userId)) {
      throw new NotFoundException("No such user.");
    }
    return userId;
  }

  /** A usage query that cannot be answered as asked. */
  static final class InvalidUsageQueryException extends IllegalArgumentException {
    InvalidUsageQueryException(String message) {
      super(message);
    }
  }
}
