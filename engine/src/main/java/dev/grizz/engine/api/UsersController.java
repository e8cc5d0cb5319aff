package dev.grizz.engine.api;

import dev.grizz.engine.compliance.ComplianceService;
import dev.grizz.engine.security.CurrentUser;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's GDPR rights: erase and export. Until authentication lands the only user is the local
 * one, and any other id answers 404.
 */
@RestController
class UsersController {

  private final ComplianceService compliance;
  private final CurrentUser user;

  UsersController(ComplianceService compliance, CurrentUser user) {
    this.compliance = compliance;
    this.user = user;
  }

  @DeleteMapping("/api/v1/users/{id}")
  Map<String, Object> erase(@PathVariable UUID id) {
    ComplianceService.Erased erased = compliance.deleteUserData(user.id(), self(id));
    return Map.of(
        "user_id", id,
        "conversations_deleted", erased.conversations(),
        "usage_rows_unlinked", erased.usageRowsUnlinked(),
        "violations_erased", erased.violationsErased());
  }

  @GetMapping("/api/v1/users/{id}/export")
  Map<String, Object> export(@PathVariable UUID id) {
    return compliance.export(user.id(), self(id));
  }

  /** A user id that is not the caller's (or does not exist). */
  static final class UnknownUserException extends RuntimeException {
    UnknownUserException() {
      super("no such user");
    }
  }

  private UUID self(UUID id) {
    if (!id.equals(user.id())) {
      // Unknown and foreign users alike: nothing to say about them.
      throw new UnknownUserException();
    }
    return id;
  }
}
