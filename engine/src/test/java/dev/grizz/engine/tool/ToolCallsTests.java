package dev.grizz.engine.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.CancelSignal;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way a call is made: bad arguments never reach the tool, a hanging tool is stopped at its
 * limit and told so, a throwing tool becomes an error result, a long result is cut visibly, and a
 * cancel from outside ends the call. Bounds on time are generous: only "did not hang" is checked.
 */
class ToolCallsTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final UUID USER = UUID.randomUUID();
  private static final String SCHEMA =
      """
      {"type": "object",
       "properties": {"n": {"type": "integer", "minimum": 1}},
       "required": ["n"],
       "additionalProperties": false}
      """;

  private final ToolCalls calls = new ToolCalls(JSON);

  /** A tool whose behaviour is a lambda, with the given limits. */
  private static Tool tool(ToolLimits limits, Body body) {
    ToolDefinition definition =
        ToolDefinition.builtin("test_tool", "A tool for tests.", JSON.readTree(SCHEMA), limits);
    return new Tool() {
      @Override
      public ToolDefinition definition() {
        return definition;
      }

      @Override
      public ToolOutput call(ToolInput input) throws Exception {
        return body.call(input);
      }
    };
  }

  interface Body {
    ToolOutput call(ToolInput input) throws Exception;
  }

  private ToolRun run(Tool tool, String arguments) {
    return calls.run(tool, arguments, USER, null, new CancelSignal());
  }

  @Test
  void argumentsThatBreakTheSchemaAreRefusedAndTheToolNeverRuns() {
    AtomicInteger ran = new AtomicInteger();
    Tool tool = tool(ToolLimits.DEFAULT, input -> ToolOutput.ok("ran " + ran.incrementAndGet()));

    ToolRun missing = run(tool, "{}");
    ToolRun wrongType = run(tool, "{\"n\": \"seven\"}");
    ToolRun extra = run(tool, "{\"n\": 1, \"other\": true}");
    ToolRun notAnObject = run(tool, "[1, 2]");

    for (ToolRun refused : new ToolRun[] {missing, wrongType, extra, notAnObject}) {
      assertThat(refused.status()).isEqualTo(ToolRun.Status.INVALID_ARGUMENTS);
      assertThat(refused.content()).contains("did not run");
    }
    assertThat(missing.content()).contains("n");
    assertThat(ran).hasValue(0);
    assertThat(run(tool, "{\"n\": 3}").content()).isEqualTo("ran 1");
  }

  @Test
  void argumentsThatAreNotJsonAreRefusedAndTheToolNeverRuns() {
    AtomicInteger ran = new AtomicInteger();
    Tool tool = tool(ToolLimits.DEFAULT, input -> ToolOutput.ok("ran " + ran.incrementAndGet()));

    ToolRun run = run(tool, "{n: 3");

    assertThat(run.status()).isEqualTo(ToolRun.Status.INVALID_ARGUMENTS);
    assertThat(run.content()).contains("not valid JSON");
    assertThat(ran).hasValue(0);
  }

  @Test
  void aHangingToolIsStoppedAtItsTimeoutAndItsCancelSignalFires() throws InterruptedException {
    CountDownLatch signalled = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Tool tool =
        tool(
            ToolLimits.DEFAULT.withTimeout(Duration.ofMillis(200)),
            input -> {
              input.cancel().onCancel(signalled::countDown);
              try {
                Thread.sleep(Duration.ofMinutes(5));
              } catch (InterruptedException e) {
                interrupted.set(true);
              } finally {
                finished.countDown();
              }
              return ToolOutput.ok("too late");
            });

    long started = System.nanoTime();
    ToolRun run = run(tool, "{\"n\": 1}");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(run.status()).isEqualTo(ToolRun.Status.TIMEOUT);
    assertThat(run.content()).contains("200 ms").contains("stopped");
    assertThat(signalled.await(10, TimeUnit.SECONDS)).as("cancel signal fired").isTrue();
    assertThat(finished.await(10, TimeUnit.SECONDS)).as("tool thread ended").isTrue();
    assertThat(interrupted).as("tool thread interrupted").isTrue();
  }

  @Test
  void aToolThatThrowsIsAnErrorWithItsMessage() {
    Tool tool =
        tool(
            ToolLimits.DEFAULT,
            input -> {
              throw new IllegalStateException("the disk is full");
            });

    ToolRun run = run(tool, "{\"n\": 1}");

    assertThat(run.status()).isEqualTo(ToolRun.Status.ERROR);
    assertThat(run.content()).isEqualTo("The tool failed: the disk is full");
    assertThat(run.ok()).isFalse();
  }

  @Test
  void aToolThatAnswersWithAnErrorIsAnError() {
    Tool tool = tool(ToolLimits.DEFAULT, input -> ToolOutput.error("no such city"));

    ToolRun run = run(tool, "{\"n\": 1}");

    assertThat(run.status()).isEqualTo(ToolRun.Status.ERROR);
    assertThat(run.content()).isEqualTo("no such city");
  }

  @Test
  void aResultOverTheLimitIsCutWithAVisibleMarker() {
    Tool tool =
        tool(ToolLimits.DEFAULT.withMaxResultChars(10), input -> ToolOutput.ok("x".repeat(25)));

    ToolRun run = run(tool, "{\"n\": 1}");

    assertThat(run.status()).isEqualTo(ToolRun.Status.OK);
    assertThat(run.truncated()).isTrue();
    assertThat(run.content())
        .startsWith("x".repeat(10) + "\n")
        .endsWith("[truncated: the first 10 of 25 characters]");
  }

  @Test
  void aResultWithinTheLimitIsWhole() {
    Tool tool =
        tool(ToolLimits.DEFAULT.withMaxResultChars(10), input -> ToolOutput.ok("ten chars!"));

    ToolRun run = run(tool, "{\"n\": 1}");

    assertThat(run.truncated()).isFalse();
    assertThat(run.content()).isEqualTo("ten chars!");
  }

  @Test
  void aCancelFromOutsideEndsTheCall() throws InterruptedException {
    CancelSignal turn = new CancelSignal();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch toolSawCancel = new CountDownLatch(1);
    Tool tool =
        tool(
            ToolLimits.DEFAULT.withTimeout(Duration.ofMinutes(5)),
            input -> {
              input.cancel().onCancel(toolSawCancel::countDown);
              started.countDown();
              Thread.sleep(Duration.ofMinutes(5));
              return ToolOutput.ok("too late");
            });
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                if (started.await(10, TimeUnit.SECONDS)) {
                  turn.cancel();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });

    long begun = System.nanoTime();
    ToolRun run = calls.run(tool, "{\"n\": 1}", USER, null, turn);

    assertThat(Duration.ofNanos(System.nanoTime() - begun)).isLessThan(Duration.ofSeconds(10));
    assertThat(run.status()).isEqualTo(ToolRun.Status.CANCELLED);
    assertThat(run.content()).isEqualTo("The call was cancelled.");
    assertThat(toolSawCancel.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void blankArgumentsAreAnEmptyObject() {
    Tool tool =
        new Tool() {
          @Override
          public ToolDefinition definition() {
            return ToolDefinition.builtin(
                "no_args",
                "Takes nothing.",
                JSON.readTree("{\"type\":\"object\"}"),
                ToolLimits.DEFAULT);
          }

          @Override
          public ToolOutput call(ToolInput input) {
            return ToolOutput.ok(input.arguments().toString());
          }
        };

    assertThat(run(tool, "  ").content()).isEqualTo("{}");
  }
}
