package dev.grizz.engine.api;

import dev.grizz.engine.security.ApiKeys;
import dev.grizz.engine.security.AuthException;
import dev.grizz.engine.security.Caller;
import dev.grizz.engine.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** A signed-in user's API keys: create (the secret is shown once), list, revoke. */
@RestController
@RequestMapping("/api/v1/api-keys")
class ApiKeysController {

  private final ApiKeys keys;
  private final CurrentUser user;

  ApiKeysController(ApiKeys keys, CurrentUser user) {
    this.keys = keys;
    this.user = user;
  }

  record CreateRequest(
      @NotBlank @Size(max = 100) String name,
      @Nullable @Min(1) @Max(100_000) Integer messagesPerMinute) {}

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  Map<String, Object> create(@Valid @RequestBody CreateRequest request) {
    Caller caller = account();
    ApiKeys.Created created =
        keys.create(caller.userId(), request.name().strip(), request.messagesPerMinute());
    Map<String, Object> view = view(created.listed());
    view.put("key", created.key());
    return view;
  }

  @GetMapping
  Map<String, Object> list() {
    List<Map<String, Object>> listed =
        keys.list(account().userId()).stream().map(ApiKeysController::view).toList();
    return Map.of("items", listed);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void revoke(@PathVariable UUID id) {
    if (!keys.revoke(account().userId(), id)) {
      throw new NotFoundException("No such API key.");
    }
  }

  private Caller account() {
    Caller caller = user.caller();
    if (caller.anonymous()) {
      throw AuthException.forbidden(
          "account_required", "Create an account (POST /api/v1/accounts) to use API keys.");
    }
    if (caller.apiKeyId() != null) {
      throw AuthException.forbidden(
          "session_required", "API keys are managed with a session token, not with a key.");
    }
    return caller;
  }

  private static Map<String, Object> view(ApiKeys.Listed key) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", key.id());
    view.put("name", key.name());
    view.put("messages_per_minute", key.messagesPerMinute());
    view.put("created_at", key.createdAt());
    view.put("revoked_at", key.revokedAt());
    return view;
  }
}
