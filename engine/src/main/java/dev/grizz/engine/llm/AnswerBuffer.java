package dev.grizz.engine.llm;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An answer put together from its streamed pieces: the text, the reasoning, and each tool call
 * whole (its argument fragments joined in order). Tool calls are kept by their stream index, so
 * parallel calls whose pieces interleave come out whole and in the model's order.
 */
public final class AnswerBuffer implements DeltaSink {

  private final StringBuilder text = new StringBuilder();
  private final StringBuilder reasoning = new StringBuilder();
  private final List<Call> calls = new ArrayList<>();

  /** The signed and encrypted reasoning blocks, in order, and how much reasoning they cover. */
  private final List<ContentPart> thinking = new ArrayList<>();

  private int signedUpTo;

  @Override
  public void accept(String piece) {
    text.append(piece);
  }

  @Override
  public void reasoning(String piece) {
    reasoning.append(piece);
  }

  /** The reasoning since the last signature becomes a signed block. */
  @Override
  public void thinkingSignature(String signature) {
    thinking.add(new ContentPart.Thinking(reasoning.substring(signedUpTo), signature));
    signedUpTo = reasoning.length();
  }

  @Override
  public void redactedThinking(String data) {
    thinking.add(new ContentPart.RedactedThinking(data));
  }

  /**
   * The vendor's signed and encrypted reasoning blocks, in order, to send back to it in a later
   * turn; reasoning without a signature (any other vendor's) is in {@link #reasoningText} only.
   */
  public List<ContentPart> thinking() {
    return List.copyOf(thinking);
  }

  @Override
  public void toolCall(ToolCallDelta delta) {
    Call call = null;
    for (Call open : calls) {
      if (open.index == delta.index()) {
        call = open;
      }
    }
    if (call == null) {
      call = new Call(delta.index());
      calls.add(call);
    }
    if (delta.id() != null && call.id == null) {
      call.id = delta.id();
    }
    if (delta.name() != null && call.name == null) {
      call.name = delta.name();
    }
    call.arguments.append(delta.arguments());
  }

  /** Whether anything has streamed: text, reasoning or a tool call. */
  public boolean isEmpty() {
    return text.isEmpty() && reasoning.isEmpty() && calls.isEmpty() && thinking.isEmpty();
  }

  public String text() {
    return text.toString();
  }

  public String reasoningText() {
    return reasoning.toString();
  }

  /**
   * The tool calls, in stream order. A call the vendor streamed without an id gets one made from
   * its index ({@code call_0}); one without a name keeps an empty name, for the caller to refuse.
   */
  public List<ToolCall> toolCalls() {
    List<ToolCall> whole = new ArrayList<>(calls.size());
    for (Call call : calls.stream().sorted((a, b) -> Integer.compare(a.index, b.index)).toList()) {
      whole.add(
          new ToolCall(
              call.id == null ? "call_" + call.index : call.id,
              call.name == null ? "" : call.name,
              call.arguments.toString()));
    }
    return whole;
  }

  private static final class Call {
    final int index;
    @Nullable String id;
    @Nullable String name;
    final StringBuilder arguments = new StringBuilder();

    Call(int index) {
      this.index = index;
    }
  }
}
