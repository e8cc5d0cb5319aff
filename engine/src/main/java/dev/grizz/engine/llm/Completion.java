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
    String text,
    String reasoning,
    List<ToolCall> toolCalls,
    List<Attempt> attempts,
    List<ContentPart> thinking) {

  public Completion {
    toolCalls = List.copyOf(toolCalls);
    attempts = List.copyOf(attempts);
    thinking = List.copyOf(thinking);
  }

  /**
   * A completion without signed reasoning. {@code thinking} holds the vendor's signed and encrypted
   * reasoning blocks ({@link ContentPart.Thinking}, {@link ContentPart.RedactedThinking}), which
   * the answer's vendor wants back unchanged in a later turn.
   */
  public Completion(
      String text, String reasoning, List<ToolCall> toolCalls, List<Attempt> attempts) {
    this(text, reasoning, toolCalls, attempts, List.of());
  }

  /** A completion of text only. */
  public Completion(String text, List<Attempt> attempts) {
    this(text, "", List.of(), attempts);
  }

  /** This completion with only these tool calls (the rest were answered by the engine). */
  public Completion withToolCalls(List<ToolCall> kept) {
    return new Completion(text, reasoning, kept, attempts, thinking);
  }

  /**
   * This completion with its answer withheld (the engine's content policy blocked it): no text,
   * reasoning or tool calls, and the last attempt ending as filtered content with {@code reason}.
   * Its usage and cost stand: the vendor was paid for the answer.
   */
  public Completion withheld(String reason) {
    Attempt last = attempts.getLast();
    List<Attempt> kept = new java.util.ArrayList<>(attempts.subList(0, attempts.size() - 1));
    kept.add(
        new Attempt(
            last.provider(),
            last.model(),
            new LlmOutcome.Failed(ErrorCode.CONTENT_FILTERED, reason, false, last.usage()),
            last.usage(),
            last.usageCents(),
            last.timeToFirstToken(),
            last.total()));
    return new Completion("", "", List.of(), kept);
  }

  /** Whether nothing at all streamed: no text, reasoning or tool call. */
  public boolean empty() {
    return text.isEmpty() && reasoning.isEmpty() && toolCalls.isEmpty() && thinking.isEmpty();
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
