package dev.grizz.engine.api;

import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.tool.ToolDefinition;
import dev.grizz.engine.tool.ToolLimits;
import dev.grizz.engine.tool.ToolRegistry;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The tools a caller's models may use: built-ins and those of the caller's tool sources. */
@RestController
class ToolController {

  private final ToolRegistry registry;
  private final CurrentUser user;
  private final dev.grizz.engine.tool.ToolSettings settings;

  ToolController(
      ToolRegistry registry, CurrentUser user, dev.grizz.engine.tool.ToolSettings settings) {
    this.registry = registry;
    this.user = user;
    this.settings = settings;
  }

  /** One tool: what a model is told about it, where it comes from, and how it may be run. */
  record ToolView(
      String name,
      String description,
      JsonNode parameters,
      String source,
      long timeoutMs,
      int maxResultChars,
      boolean idempotent,
      boolean needsApproval) {

    /** {@code needsApproval}: the tool's own limit, or the operator's list of tools to approve. */
    static ToolView of(ToolDefinition definition, boolean needsApproval) {
      ToolLimits limits = definition.limits();
      return new ToolView(
          definition.name(),
          definition.description(),
          definition.parameters(),
          definition.source(),
          limits.timeout().toMillis(),
          limits.maxResultChars(),
          limits.idempotent(),
          needsApproval);
    }
  }

  @GetMapping("/api/v1/tools")
  Map<String, List<ToolView>> tools() {
    return Map.of(
        "tools",
        registry.available(user.id()).stream()
            .map(tool -> ToolView.of(tool.definition(), settings.needsApproval(tool.definition())))
            .toList());
  }
}
