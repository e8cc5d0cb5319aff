package dev.grizz.engine.api;

import dev.grizz.engine.compliance.ComplianceService;
import dev.grizz.engine.security.Accounts;
import dev.grizz.engine.security.CurrentUser;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's GDPR rights: erase and export, by the user or an admin. Anyone else's id answers 404, as
 * an unknown one does.
 */
@RestController
class UsersController {

  private final ComplianceService compliance;
  private final CurrentUser user;
  private final Accounts accounts;

  UsersController(ComplianceService compliance, CurrentUser user, Accounts accounts) {
    this.compliance = compliance;
    this.accounts = accounts;
    this.user = user;
  }

  @DeleteMapping("/api/v1/users/{id}")
  Map<String, Object> erase(@PathVariable UUID id) {
    ComplianceService.Erased erased = compliance.deleteUserData(user.id(), self(id));
    return Map.of(
        "user_id", id,
        "conversations_deleted", erased.conversations(),
        "usage_rows_unlinked", erased.usageRowsUnlinked(),
        "violations_erased", erased.violationsErased(),
        "api_keys_deleted", erased.apiKeysDeleted(),
        "responses_deleted", erased.responsesDeleted(),
        "memories_deleted", erased.memoriesDeleted());
  }

  @GetMapping("/api/v1/users/{id}/export")
  Map<String, Object> export(@PathVariable UUID id) {
    return compliance.export(user.id(), self(id));
  }

  private UUID self(UUID id) {
    // Unknown and foreign users alike: nothing to say about them.
    if (!user.maySee(id) || accounts.profile(id).isEmpty()) {
      throw new NotFoundException("No such user.");
    }
    return id;
  }
}
