package dev.grizz.engine.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.tool.Tool;
import dev.grizz.engine.tool.ToolCalls;
import dev.grizz.engine.tool.ToolDefinition;
import dev.grizz.engine.tool.ToolRegistry;
import dev.grizz.engine.tool.ToolRun;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's MCP servers through the engine's own tool registry and runner, against real
 * servers: the reference "everything" server over stdio and over Streamable HTTP, a closed port and
 * an HTTP server that answers garbage.
 */
class McpToolsIT {

  static McpEngine mcp;
  static ToolRegistry registry;
  static ToolCalls calls;
  final UUID user = UUID.randomUUID();

  @BeforeAll
  static void start() {
    mcp = McpEngine.shared();
    registry = mcp.bean(ToolRegistry.class);
    calls = mcp.bean(ToolCalls.class);
  }

  @Test
  void aStdioServersToolsAreListedAndCalled() {
    Tool echo = awaitTool("everything__echo");
    ToolDefinition definition = echo.definition();
    assertThat(definition.source()).isEqualTo("mcp:everything");
    assertThat(definition.parameters().path("properties").has("message")).isTrue();
    assertThat(definition.limits().needsApproval()).isFalse();

    ToolRun run =
        calls.run(echo, "{\"message\":\"hello over stdio\"}", user, null, new CancelSignal());

    assertThat(run.status()).isEqualTo(ToolRun.Status.OK);
    assertThat(run.content()).contains("hello over stdio");
  }

  @Test
  void aStreamableHttpServersToolsAreListedAndCalled() {
    Tool sum = awaitTool("web__get-sum");

    ToolRun run = calls.run(sum, "{\"a\":2,\"b\":40}", user, null, new CancelSignal());

    assertThat(run.status()).isEqualTo(ToolRun.Status.OK);
    assertThat(run.content()).contains("42");
    assertThat(sum.definition().source()).isEqualTo("mcp:web");
  }

  @Test
  void annotationsDecideIdempotence() {
    // get-sum says readOnlyHint; echo says nothing of the sort? Both are read-only in the
    // everything server, so look at one that is not: toggle-simulated-logging changes state.
    assertThat(awaitTool("everything__get-sum").definition().limits().idempotent()).isTrue();
    assertThat(awaitTool("everything__toggle-simulated-logging").definition().limits().idempotent())
        .isFalse();
  }

  @Test
  void nonTextContentIsDescribedInWords() {
    Tool image = awaitTool("everything__get-tiny-image");

    ToolRun run = calls.run(image, "{}", user, null, new CancelSignal());

    assertThat(run.status()).isEqualTo(ToolRun.Status.OK);
    assertThat(run.content()).contains("an image (image/png").contains("not shown");
  }

  @Test
  void theServersListChangedNotificationRefreshesItsTools() {
    McpConnection everything = mcp.bean(OperatorMcpServers.class).connection("everything");
    awaitTool("everything__echo");
    // The everything server registers its conditional tools once the client is initialised and
    // says so with notifications/tools/list_changed; the SDK lists again and hands the list over.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(everything.listChanges()).isPositive());
    assertThat(names()).contains("everything__simulate-research-query");
  }

  @Test
  void aServerThatIsDownLeavesTheOthersListedAndItsCallFailsQuickly() {
    awaitTool("everything__echo");
    McpConnection down = mcp.bean(OperatorMcpServers.class).connection("down");
    assertThat(down.tools()).isEmpty();
    Tool ghost = ghost(down);

    long started = System.nanoTime();
    ToolRun run = calls.run(ghost, "{}", user, null, new CancelSignal());

    assertThat(run.status()).isEqualTo(ToolRun.Status.ERROR);
    assertThat(run.content()).contains("MCP server 'down'").contains("cannot be reached");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(names()).contains("web__echo").noneMatch(name -> name.startsWith("down__"));
  }

  @Test
  void aServerAnsweringGarbageIsAnErrorResultAndTheEngineGoesOn() {
    McpConnection junk = mcp.bean(OperatorMcpServers.class).connection("junk");
    assertThat(junk.tools()).isEmpty();

    ToolRun run = calls.run(ghost(junk), "{}", user, null, new CancelSignal());

    assertThat(run.status()).isEqualTo(ToolRun.Status.ERROR);
    assertThat(run.content()).contains("MCP server 'junk'");
    ToolRun still =
        calls.run(
            awaitTool("web__echo"), "{\"message\":\"still here\"}", user, null, new CancelSignal());
    assertThat(still.content()).contains("still here");
  }

  @Test
  void aSlowToolIsStoppedAtItsTimeLimit() {
    Tool slow = awaitTool("slow__trigger-long-running-operation");
    assertThat(slow.definition().limits().timeout()).isEqualTo(Duration.ofSeconds(2));

    long started = System.nanoTime();
    ToolRun run = calls.run(slow, "{\"duration\":20,\"steps\":2}", user, null, new CancelSignal());

    assertThat(run.status()).isEqualTo(ToolRun.Status.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
    // The server is still usable afterwards.
    ToolRun after =
        calls.run(
            awaitTool("slow__echo"), "{\"message\":\"after\"}", user, null, new CancelSignal());
    assertThat(after.content()).contains("after");
  }

  @Test
  void aCancelledCallStopsAtOnce() {
    Tool slow = awaitTool("web__trigger-long-running-operation");
    CancelSignal cancel = new CancelSignal();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                Thread.sleep(500);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              cancel.cancel();
            });

    long started = System.nanoTime();
    ToolRun run = calls.run(slow, "{\"duration\":20,\"steps\":2}", user, null, cancel);

    assertThat(run.status()).isEqualTo(ToolRun.Status.CANCELLED);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  /** A tool of {@code connection}'s server that was never listed: the call goes to the server. */
  private static Tool ghost(McpConnection connection) {
    return McpTool.of(
        new io.modelcontextprotocol.spec.McpSchema.Tool(
            "anything",
            null,
            "never listed",
            java.util.Map.of("type", "object"),
            null,
            null,
            null,
            null),
        connection.server(),
        connection,
        tools.jackson.databind.json.JsonMapper.shared());
  }

  private List<String> names() {
    return registry.available(user).stream().map(t -> t.definition().name()).toList();
  }

  private Tool awaitTool(String name) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> registry.find(user, name), found -> found.isPresent())
        .orElseThrow();
  }
}
