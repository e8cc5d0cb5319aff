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
  static final AtomicInteger PATIENT_RUNS = new AtomicInteger();
  static final AtomicInteger ONCE_RUNS = new AtomicInteger();
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

  /** Takes 4 s; idempotent, so a pod's death makes another pod run it again. */
  private static final Tool PATIENT =
      new Tool() {
        @Override
        public ToolDefinition definition() {
          return TestTools.definition("patient", ToolLimits.DEFAULT.idempotent(true));
        }

        @Override
        public ToolOutput call(ToolInput input) throws Exception {
          PATIENT_RUNS.incrementAndGet();
          Thread.sleep(4_000);
          return ToolOutput.ok("patience paid");
        }
      };

  /** Takes 4 s; not idempotent, so a pod's death must not make it run again. */
  private static final Tool ONCE =
      new Tool() {
        @Override
        public ToolDefinition definition() {
          return TestTools.definition("once", ToolLimits.DEFAULT);
        }

        @Override
        public ToolOutput call(ToolInput input) throws Exception {
          ONCE_RUNS.incrementAndGet();
          Thread.sleep(4_000);
          return ToolOutput.ok("done once");
        }
      };

  /** Answers with words the content policy blocks. */
  private static final Tool LOUD =
      new Tool() {
        @Override
        public ToolDefinition definition() {
          return TestTools.definition("loud", ToolLimits.DEFAULT.idempotent(true));
        }

        @Override
        public ToolOutput call(ToolInput input) {
          return ToolOutput.ok("I'm going to kill you, you idiot");
        }
      };

  @Override
  public List<Tool> tools(UUID userId) {
    // An engine process started by a test offers them to everyone (its users are not this JVM's).
    return USERS.contains(userId) || "all".equals(System.getenv("GRIZZ_TEST_TOOLS"))
        ? List.of(SLEEPY, SLOW, GUARDED, PATIENT, ONCE, LOUD)
        : List.of();
  }
}
