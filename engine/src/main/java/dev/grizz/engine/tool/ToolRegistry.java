package dev.grizz.engine.tool;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Every tool a user may call: the enabled tool beans (offered to everyone), then each {@link
 * ToolSource}'s. Names are unique: when two tools share one, the first registered wins (beans
 * before sources) and the other is left out with a warning. The built-ins' names, and those of the
 * built-ins still to come ({@link #RESERVED}), are reserved: a source's tool may not take one
 * unless it is itself a built-in ({@link ToolDefinition#BUILTIN}), so an MCP server cannot pass off
 * its own {@code fetch_url} as the engine's, checked one.
 */
@Component
public class ToolRegistry {

  /**
   * Names kept for built-ins that later issues provide ({@code code_interpreter} from the sandbox,
   * {@code knowledge_search} from the knowledge base), so no MCP server's tool grows used to them.
   */
  public static final Set<String> RESERVED =
      Set.of("code_interpreter", "knowledge_search", "remember");

  private static final Logger log = LoggerFactory.getLogger(ToolRegistry.class);

  private final List<Tool> builtins;
  private final List<ToolSource> sources;
  private final Set<String> reserved;

  ToolRegistry(ObjectProvider<Tool> tools, ObjectProvider<ToolSource> sources) {
    this.builtins = tools.orderedStream().filter(Tool::enabled).toList();
    this.sources = sources.orderedStream().toList();
    Set<String> names = new HashSet<>(RESERVED);
    builtins.forEach(tool -> names.add(tool.definition().name()));
    this.reserved = Set.copyOf(names);
  }

  /** The tools {@code userId} may call now, by name, in a stable order. */
  public List<Tool> available(UUID userId) {
    Map<String, Tool> byName = new LinkedHashMap<>();
    builtins.forEach(tool -> add(byName, tool));
    for (ToolSource source : sources) {
      List<Tool> offered;
      try {
        offered = source.tools(userId);
      } catch (RuntimeException e) {
        log.warn("tool source {} could not list its tools: {}", source, e.getMessage());
        continue;
      }
      for (Tool tool : offered) {
        ToolDefinition definition = tool.definition();
        if (!definition.source().equals(ToolDefinition.BUILTIN)
            && reserved.contains(definition.name())) {
          log.warn(
              "tool '{}' from {} is left out: that name is reserved for a built-in",
              definition.name(),
              definition.source());
          continue;
        }
        add(byName, tool);
      }
    }
    return new ArrayList<>(byName.values());
  }

  /** The tool called {@code name} that {@code userId} may call. */
  public Optional<Tool> find(UUID userId, String name) {
    for (Tool tool : builtins) {
      if (tool.definition().name().equals(name)) {
        return Optional.of(tool);
      }
    }
    return available(userId).stream()
        .filter(tool -> tool.definition().name().equals(name))
        .findFirst();
  }

  private static void add(Map<String, Tool> byName, Tool tool) {
    String name = tool.definition().name();
    Tool first = byName.putIfAbsent(name, tool);
    if (first != null && first != tool) {
      log.warn(
          "two tools are named '{}' ({} and {}); the first is kept",
          name,
          first.definition().source(),
          tool.definition().source());
    }
  }
}
