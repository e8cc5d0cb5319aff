package dev.grizz.engine.chat;

import dev.grizz.engine.tool.Tool;
import dev.grizz.engine.tool.ToolDefinition;
import dev.grizz.engine.tool.ToolInput;
import dev.grizz.engine.tool.ToolLimits;
import dev.grizz.engine.tool.ToolOutput;
import dev.grizz.engine.tool.ToolSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tools only tests use, offered only to the users a test names. A component (not a test
 * configuration) on purpose: every engine in the test JVM shares one database and one job queue, so
 * any of them may run a tool step, and each must know the same tools — as pods must.
 */
@Component
class TestTools implements ToolSource {

  static final AtomicInteger GUARDED_RUNS = new AtomicInteger();
  private static final Set<UUID> USERS = ConcurrentHashMap.newKeySet();

  static void offerTo(UUID userId) {
    USERS.add(userId);
  }

  private static ToolDefinition definition(String name, ToolLimits limits) {
    return new ToolDefinition(
        name, "A test tool", JsonMapper.shared().readTree("{\"type\":\"object\"}"), limits, "test");
  }

  private static final Tool SLEEPY =
      new Tool() {
        @Override
        public ToolDefinition definition() {
          return TestTools.definition(
              "sleepy", ToolLimits.DEFAULT.withTimeout(Duration.ofMillis(300)));
        }

        @Override
        public ToolOutput call(ToolInput input) throws Exception {
          Thread.sleep(60_000);
          return ToolOutput.ok("woke up");
        }
      };

  private static final Tool SLOW =
      new Tool() {
        @Override
        public ToolDefinition definition() {
          return TestTools.definition(
              "slow", ToolLimits.DEFAULT.withTimeout(Duration.ofMinutes(1)));
        }

        @Override
        public ToolOutput call(ToolInput input) {
          input.cancel().await(Duration.ofSeconds(30));
          return ToolOutput.ok("done slowly");
        }
      };

  private static final Tool GUARDED =
      new Tool() {
        @Override
        public ToolDefinition definition() {
          return TestTools.definition("guarded", ToolLimits.DEFAULT.needsApproval(true));
        }

        @Override
        public ToolOutput call(ToolInput input) {
          GUARDED_RUNS.incrementAndGet();
          return ToolOutput.ok("the guarded thing was done");
        }
      };

  @Override
  public List<Tool> tools(UUID userId) {
    return USERS.contains(userId) ? List.of(SLEEPY, SLOW, GUARDED) : List.of();
  }
}
