package dev.grizz.engine.api;

import dev.grizz.engine.security.ApiKeys;
import dev.grizz.engine.security.AuthException;
import dev.grizz.engine.security.Caller;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.usage.Budgets;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
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
import org.springframework.web.bind.annotation.PutMapping;
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
  private final Budgets budgets;

  ApiKeysController(ApiKeys keys, CurrentUser user, Budgets budgets) {
    this.keys = keys;
    this.user = user;
    this.budgets = budgets;
  }

  record CreateRequest(
      @NotBlank @Size(max = 100) String name,
      @Nullable @Min(1) @Max(100_000) Integer messagesPerMinute,
      @Nullable @DecimalMin("0") BigDecimal dailyCents,
      @Nullable @DecimalMin("0") BigDecimal monthlyCents,
      @Nullable @Min(0) Integer tokensPerMinute) {}

  /**
   * A key's spend and token limits; null parts are unlimited (the user's own limits still apply).
   */
  record BudgetRequest(
      @Nullable @DecimalMin("0") BigDecimal dailyCents,
      @Nullable @DecimalMin("0") BigDecimal monthlyCents,
      @Nullable @Min(0) Integer tokensPerMinute) {}

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  Map<String, Object> create(@Valid @RequestBody CreateRequest request) {
    Caller caller = account();
    ApiKeys.Created created =
        keys.create(caller.userId(), request.name().strip(), request.messagesPerMinute());
    budgets.setKeyLimits(
        created.listed().id(),
        new Budgets.Limits(
            request.dailyCents(), request.monthlyCents(), request.tokensPerMinute()));
    Map<String, Object> view = view(created.listed());
    view.put("key", created.key());
    return view;
  }

  @GetMapping
  Map<String, Object> list() {
    List<Map<String, Object>> listed =
        keys.list(account().userId()).stream().map(this::view).toList();
    return Map.of("items", listed);
  }

  /** Sets one of the caller's keys' budget. */
  @PutMapping(path = "/{id}/budget", consumes = MediaType.APPLICATION_JSON_VALUE)
  Budgets.Limits setBudget(@PathVariable UUID id, @Valid @RequestBody BudgetRequest request) {
    UUID owner = account().userId();
    if (keys.list(owner).stream().noneMatch(key -> key.id().equals(id))) {
      throw new NotFoundException("No such API key.");
    }
    Budgets.Limits limits =
        new Budgets.Limits(request.dailyCents(), request.monthlyCents(), request.tokensPerMinute());
    budgets.setKeyLimits(id, limits);
    return limits;
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

  private Map<String, Object> view(ApiKeys.Listed key) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", key.id());
    view.put("name", key.name());
    view.put("messages_per_minute", key.messagesPerMinute());
    view.put("created_at", key.createdAt());
    view.put("revoked_at", key.revokedAt());
    view.put("budget", budgets.keyLimits(key.id()));
    return view;
  }
}
