package dev.grizz.engine.api;

import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.ModelPrice;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The models a caller may pick, and the providers' health for operators. */
@RestController
class ModelsController {

  private final LlmRouter router;
  private final dev.grizz.engine.security.CurrentUser user;

  ModelsController(LlmRouter router, dev.grizz.engine.security.CurrentUser user) {
    this.user = user;
    this.router = router;
  }

  record ModelView(
      String id,
      String provider,
      String model,
      @Nullable Integer contextTokens,
      @Nullable BigDecimal inputCentsPerMillion,
      @Nullable BigDecimal cachedInputCentsPerMillion,
      @Nullable BigDecimal outputCentsPerMillion) {}

  @GetMapping("/api/v1/models")
  Map<String, Object> models() {
    List<ModelView> models =
        router.models().stream()
            .map(
                info -> {
                  ModelPrice price = info.price();
                  return new ModelView(
                      info.id(),
                      info.provider(),
                      info.model(),
                      price == null ? null : price.contextTokens(),
                      price == null ? null : price.inputCentsPerMillion(),
                      price == null ? null : price.cachedInputCentsPerMillion(),
                      price == null ? null : price.outputCentsPerMillion());
                })
            .toList();
    return Map.of(
        "default",
        LlmRouter.AUTO,
        "strategy",
        router.strategy(),
        "route",
        router.route().stream().map(ref -> ref.label()).toList(),
        "models",
        models);
  }

  /** Each provider's circuit state, for admins (it shows no secrets). */
  @GetMapping("/api/v1/admin/providers")
  Map<String, Object> providers() {
    user.admin();
    return Map.of("providers", router.health());
  }
}
