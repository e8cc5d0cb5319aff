package dev.grizz.engine.api;

import dev.grizz.engine.moderation.Suspensions;
import dev.grizz.engine.moderation.ViolationLog;
import dev.grizz.engine.security.Accounts;
import dev.grizz.engine.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin review of the policy violation log: list and filter, mark reviewed with an action, lift a
 * suspension. Only admins reach {@code /api/v1/admin} (the auth filter and the route check), and
 * each handler checks the role itself as well; every action is audited.
 */
@RestController
@RequestMapping("/api/v1/admin")
class AdminModerationController {

  private final ViolationLog violations;
  private final Suspensions suspensions;
  private final Accounts accounts;
  private final CurrentUser user;

  AdminModerationController(
      ViolationLog violations, Suspensions suspensions, Accounts accounts, CurrentUser user) {
    this.violations = violations;
    this.suspensions = suspensions;
    this.accounts = accounts;
    this.user = user;
  }

  record ReviewRequest(@NotNull String action, @Nullable @Size(max = 2000) String note) {}

  @GetMapping("/violations")
  Map<String, Object> list(
      @RequestParam(required = false) @Nullable Boolean reviewed,
      @RequestParam(name = "user_id", required = false) @Nullable UUID userId,
      @RequestParam(required = false) @Nullable String category,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
          @Nullable Instant since,
      @RequestParam(required = false) @Nullable UUID before,
      @RequestParam(defaultValue = "50") @Min(1) @Max(ViolationLog.MAX_LIMIT) int limit) {
    user.admin();
    List<ViolationLog.Violation> page =
        violations.list(
            ViolationLog.Filter.newest(limit)
                .reviewed(reviewed)
                .user(userId)
                .category(category)
                .since(since)
                .before(before));
    return Map.of(
        "items",
        page.stream().map(AdminModerationController::view).toList(),
        "next_before",
        page.size() == limit ? page.getLast().id().toString() : "");
  }

  @PostMapping(path = "/violations/{id}/review", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, @Nullable Object> review(
      @PathVariable UUID id, @Valid @RequestBody ReviewRequest request) {
    user.admin();
    ViolationLog.ReviewAction action;
    try {
      action = ViolationLog.ReviewAction.valueOf(request.action().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidAdminRequestException("action must be dismiss, warn or suspend.");
    }
    ViolationLog.Violation reviewed =
        violations
            .review(id, action, user.id(), request.note())
            .orElseThrow(() -> new NotFoundException("No such violation."));
    return view(reviewed);
  }

  /** A violation with its enums in the API's lower-case words. */
  private static Map<String, @Nullable Object> view(ViolationLog.Violation v) {
    Map<String, @Nullable Object> view = new java.util.LinkedHashMap<>();
    view.put("id", v.id());
    view.put("user_id", v.userId());
    view.put("content", v.content());
    view.put("categories", v.categories());
    view.put("scores", v.scores());
    view.put("timestamp", v.timestamp());
    view.put("reviewed", v.reviewed());
    view.put("action_taken", v.actionTaken() == null ? null : v.actionTaken().wire());
    view.put("direction", lower(v.direction()));
    view.put("step_id", v.stepId());
    view.put("review_action", lower(v.reviewAction()));
    view.put("reviewed_by", v.reviewedBy());
    view.put("reviewed_at", v.reviewedAt());
    view.put("review_note", v.reviewNote());
    return view;
  }

  private static @Nullable String lower(@Nullable Enum<?> value) {
    return value == null ? null : value.name().toLowerCase(Locale.ROOT);
  }

  @PostMapping("/users/{id}/unsuspend")
  Map<String, Object> unsuspend(@PathVariable UUID id) {
    user.admin();
    if (accounts.profile(id).isEmpty()) {
      throw new NotFoundException("No such user.");
    }
    boolean lifted = suspensions.unsuspend(id, user.id());
    return Map.of("user_id", id, "suspended", false, "changed", lifted);
  }

  /** An admin request that cannot be done as asked. */
  static final class InvalidAdminRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidAdminRequestException(String message) {
      super(message, null, false, false);
    }
  }
}
