package dev.grizz.engine.memory;

import dev.grizz.engine.tool.Tool;
import dev.grizz.engine.tool.ToolDefinition;
import dev.grizz.engine.tool.ToolInput;
import dev.grizz.engine.tool.ToolLimits;
import dev.grizz.engine.tool.ToolOutput;
import dev.grizz.engine.tool.ToolSource;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code remember}: the model keeps a fact for the user's later conversations. Offered (as a
 * source, so per user) only while the operator allows long-term memory and the user's mode is not
 * off; kept at once in mode auto, kept as a proposal the user confirms in mode confirm.
 */
@Component
class RememberTool implements Tool, ToolSource {

  static final String NAME = "remember";

  private final Memories memories;
  private final MemorySettings settings;
  private final ToolDefinition definition;

  RememberTool(Memories memories, MemorySettings settings, JsonMapper json) {
    this.memories = memories;
    this.settings = settings;
    this.definition =
        ToolDefinition.builtin(
            NAME,
            "Keep a fact about the user for later conversations: call it when the user asks you to"
                + " remember something, or states a lasting fact or preference about themselves"
                + " (name, work, family, tastes, how they like answers). One short, self-contained"
                + " sentence per call. Do not keep secrets, passwords or passing details.",
            json.readTree(
                """
                {"type": "object",
                 "properties": {"fact": {"type": "string",
                   "description": "The fact, as one sentence that makes sense on its own, e.g. 'The user's cat is called Miso.'"}},
                 "required": ["fact"],
                 "additionalProperties": false}
                """),
            ToolLimits.DEFAULT.withTimeout(Duration.ofSeconds(10)).idempotent(true));
  }

  @Override
  public ToolDefinition definition() {
    return definition;
  }

  @Override
  public List<Tool> tools(UUID userId) {
    return settings.longTerm() && memories.mode(userId) != MemoryMode.OFF
        ? List.of(this)
        : List.of();
  }

  @Override
  public boolean enabled() {
    return false; // offered per user, as a source, never to everyone
  }

  @Override
  public ToolOutput call(ToolInput input) {
    MemoryMode mode = memories.mode(input.userId());
    if (!settings.longTerm() || mode == MemoryMode.OFF) {
      return ToolOutput.error("The user turned memory off: nothing was kept.");
    }
    String fact = input.arguments().path("fact").asString("");
    try {
      Memory kept =
          memories.add(
              input.userId(),
              fact,
              Memory.BY_MODEL,
              mode == MemoryMode.AUTO ? Memory.ACTIVE : Memory.PROPOSED,
              input.conversationId(),
              null);
      return ToolOutput.ok(
          kept.status().equals(Memory.ACTIVE)
              ? "Kept in the user's memory."
              : "Proposed: it is kept once the user confirms it in their memory panel.");
    } catch (MemoryRejectedException e) {
      return ToolOutput.error(e.getMessage());
    }
  }
}
