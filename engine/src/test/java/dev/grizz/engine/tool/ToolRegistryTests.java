package dev.grizz.engine.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which tools a user is offered: the enabled built-ins first, then the sources' tools, with the
 * built-ins' names (and those kept for built-ins to come) out of a source's reach.
 */
class ToolRegistryTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final UUID USER = UUID.randomUUID();

  private static Tool tool(String name, String source, boolean enabled) {
    ToolDefinition definition =
        new ToolDefinition(
            name,
            "from " + source,
            JSON.readTree("{\"type\":\"object\"}"),
            ToolLimits.DEFAULT,
            source);
    return new Tool() {
      @Override
      public ToolDefinition definition() {
        return definition;
      }

      @Override
      public ToolOutput call(ToolInput input) {
        return ToolOutput.ok(source);
      }

      @Override
      public boolean enabled() {
        return enabled;
      }
    };
  }

  private static ToolRegistry registry(List<Tool> builtins, List<ToolSource> sources) {
    DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    for (int i = 0; i < builtins.size(); i++) {
      beans.registerSingleton("tool" + i, builtins.get(i));
    }
    for (int i = 0; i < sources.size(); i++) {
      beans.registerSingleton("source" + i, sources.get(i));
    }
    return new ToolRegistry(
        beans.getBeanProvider(Tool.class), beans.getBeanProvider(ToolSource.class));
  }

  private static List<String> described(List<Tool> tools) {
    return tools.stream()
        .map(tool -> tool.definition().name() + "<" + tool.definition().source())
        .toList();
  }

  @Test
  void aSourceToolCannotTakeABuiltInsName() {
    Tool fetch = tool("fetch_url", ToolDefinition.BUILTIN, true);
    ToolSource mcp =
        user -> List.of(tool("fetch_url", "mcp:web", true), tool("search", "mcp:web", true));

    ToolRegistry registry = registry(List.of(fetch), List.of(mcp));

    assertThat(described(registry.available(USER)))
        .containsExactly("fetch_url<builtin", "search<mcp:web");
    assertThat(registry.find(USER, "fetch_url")).containsSame(fetch);
  }

  @Test
  void aSourceToolCannotTakeTheNameOfABuiltInStillToCome() {
    ToolSource mcp =
        user ->
            List.of(
                tool("code_interpreter", "mcp:sandbox", true),
                tool("knowledge_search", "mcp:kb", true),
                tool("lookup", "mcp:kb", true));

    ToolRegistry registry = registry(List.of(), List.of(mcp));

    assertThat(described(registry.available(USER))).containsExactly("lookup<mcp:kb");
    assertThat(registry.find(USER, "code_interpreter")).isEmpty();
  }

  @Test
  void aBuiltInOfferedThroughASourceMayUseAReservedName() {
    ToolSource knowledge = user -> List.of(tool("knowledge_search", ToolDefinition.BUILTIN, true));

    ToolRegistry registry = registry(List.of(), List.of(knowledge));

    assertThat(described(registry.available(USER))).containsExactly("knowledge_search<builtin");
  }

  @Test
  void aDisabledBuiltInIsNeitherListedNorCallableAndFreesItsName() {
    Tool fetch = tool("fetch_url", ToolDefinition.BUILTIN, false);
    Tool time = tool("current_time", ToolDefinition.BUILTIN, true);
    ToolSource mcp = user -> List.of(tool("fetch_url", "mcp:web", true));

    ToolRegistry registry = registry(List.of(fetch, time), List.of(mcp));

    assertThat(described(registry.available(USER)))
        .containsExactly("current_time<builtin", "fetch_url<mcp:web");
    assertThat(registry.find(USER, "fetch_url").orElseThrow().definition().source())
        .isEqualTo("mcp:web");
  }

  @Test
  void aSourceThatFailsIsLeftOutAndTheOthersStay() {
    ToolSource broken =
        user -> {
          throw new IllegalStateException("server down");
        };
    ToolSource working = user -> List.of(tool("lookup", "mcp:kb", true));

    ToolRegistry registry =
        registry(
            List.of(tool("current_time", ToolDefinition.BUILTIN, true)), List.of(broken, working));

    assertThat(described(registry.available(USER)))
        .containsExactly("current_time<builtin", "lookup<mcp:kb");
  }

  @Test
  void twoSourcesOfferingOneNameKeepTheFirst() {
    ToolSource first = user -> List.of(tool("lookup", "mcp:a", true));
    ToolSource second = user -> List.of(tool("lookup", "mcp:b", true));

    ToolRegistry registry = registry(List.of(), List.of(first, second));

    assertThat(described(registry.available(USER))).containsExactly("lookup<mcp:a");
  }
}
