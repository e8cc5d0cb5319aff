package dev.grizz.engine.llm;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A completion as the router delivered it: the text, reasoning and tool calls streamed, and every
 * upstream attempt made for it, oldest first; the last one is the one whose answer stands.
 */
public record Completion(
    String text, String reasoning, List<ToolCall> toolCalls, List<Attempt> attempts) {

  public Completion {
    toolCalls = List.copyOf(toolCalls);
    attempts = List.copyOf(attempts);
  }

  /** A completion of text only. */
  public Completion(String text, List<Attempt> attempts) {
    this(text, "", List.of(), attempts);
  }

  /** Whether nothing at all streamed: no text, reasoning or tool call. */
  public boolean empty() {
    return text.isEmpty() && reasoning.isEmpty() && toolCalls.isEmpty();
  }

  private Attempt last() {
    return attempts.getLast();
  }

  public String provider() {
    return last().provider();
  }

  public String model() {
    return last().model();
  }

  public LlmOutcome outcome() {
    return last().outcome();
  }

  public Usage usage() {
    return last().usage();
  }

  public BigDecimal usageCents() {
    return last().usageCents();
  }

  public @Nullable Duration timeToFirstToken() {
    return last().timeToFirstToken();
  }

  public Duration total() {
    return last().total();
  }
}
