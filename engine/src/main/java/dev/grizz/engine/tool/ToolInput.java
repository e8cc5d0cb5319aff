package dev.grizz.engine.tool;

import dev.grizz.engine.llm.CancelSignal;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One call's input: the arguments (a JSON object that matches the tool's schema), who the call is
 * made for, the conversation it belongs to (none for a call outside one), and a signal that fires
 * when the call should stop (the user cancelled, or the time limit passed), and where it may show
 * its progress (code's output while it runs).
 */
public record ToolInput(
    JsonNode arguments,
    UUID userId,
    @Nullable UUID conversationId,
    CancelSignal cancel,
    ToolProgress progress) {

  public ToolInput(
      JsonNode arguments, UUID userId, @Nullable UUID conversationId, CancelSignal cancel) {
    this(arguments, userId, conversationId, cancel, ToolProgress.NONE);
  }
}
