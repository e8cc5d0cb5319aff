package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.anthropic.AnthropicProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the Anthropic adapter reads from the streamed events: tool calls, thinking, usage. */
class AnthropicEventsTests {

  private final FakeUpstream upstream = new FakeUpstream();
  private final AnthropicProvider provider =
      new AnthropicProvider(
          "anthropic", upstream.url(""), "k", List.of("m"), 1000, Duration.ofSeconds(5));
  private final LlmRequest request = new LlmRequest("m", List.of(new ChatMessage(Role.USER, "hi")));

  /** Every delta in order, and the answer they assemble to. */
  private final List<Object> deltas = new ArrayList<>();

  private final AnswerBuffer answer = new AnswerBuffer();
  private final DeltaSink sink =
      new DeltaSink() {
        @Override
        public void accept(String text) {
          deltas.add(text);
          answer.accept(text);
        }

        @Override
        public void reasoning(String text) {
          deltas.add("thinking:" + text);
          answer.reasoning(text);
        }

        @Override
        public void toolCall(ToolCallDelta delta) {
          deltas.add(delta);
          answer.toolCall(delta);
        }

        @Override
        public void thinkingSignature(String signature) {
          deltas.add("signature:" + signature);
          answer.thinkingSignature(signature);
        }

        @Override
        public void redactedThinking(String data) {
          deltas.add("redacted:" + data);
          answer.redactedThinking(data);
        }
      };

  @AfterEach
  void stop() {
    upstream.close();
  }

  @SafeVarargs
  private LlmOutcome run(String stopReason, List<String>... blocks) {
    upstream.enqueue(FakeUpstream.sse(AnthropicWire.message(25, 0, stopReason, 9, blocks)));
    return provider.stream(request, sink, new CancelSignal());
  }

  @Test
  void aToolUseStreamsItsIdAndNameThenTheArgumentsAsWrittenCutMidToken() {
    LlmOutcome outcome =
        run(
            "tool_use",
            AnthropicWire.textBlock(0, "Let me check."),
            AnthropicWire.toolUseBlock(1, "toolu_01A", "weather", "{\"ci", "ty\": \"Par", "is\"}"));

    assertThat(deltas)
        .containsExactly(
            "Let me check.",
            new ToolCallDelta(0, "toolu_01A", "weather", ""),
            new ToolCallDelta(0, null, null, "{\"ci"),
            new ToolCallDelta(0, null, null, "ty\": \"Par"),
            new ToolCallDelta(0, null, null, "is\"}"));
    assertThat(answer.toolCalls())
        .containsExactly(new ToolCall("toolu_01A", "weather", "{\"city\": \"Paris\"}"));
    assertThat(outcome)
        .isEqualTo(
            new LlmOutcome.Completed(FinishReason.TOOL_CALLS, new Usage(25, 9, false, 0, null, 0)));
  }

  @Test
  void twoParallelToolUsesAreCallsZeroAndOne() {
    run(
        "tool_use",
        AnthropicWire.toolUseBlock(0, "toolu_a", "weather", "{\"city\":", "\"Paris\"}"),
        AnthropicWire.toolUseBlock(1, "toolu_b", "time", "{\"zone\":\"CET\"}"));

    assertThat(answer.toolCalls())
        .containsExactly(
            new ToolCall("toolu_a", "weather", "{\"city\":\"Paris\"}"),
            new ToolCall("toolu_b", "time", "{\"zone\":\"CET\"}"));
    assertThat(deltas).contains(new ToolCallDelta(1, "toolu_b", "time", ""));
  }

  @Test
  void malformedArgumentsArePassedOnAsWritten() {
    run("tool_use", AnthropicWire.toolUseBlock(0, "toolu_x", "weather", "{\"city\": Par"));

    assertThat(answer.toolCalls())
        .containsExactly(new ToolCall("toolu_x", "weather", "{\"city\": Par"));
  }

  @Test
  void aCallWithoutArgumentsHasTheEmptyObject() {
    run("tool_use", AnthropicWire.toolUseBlock(0, "toolu_n", "now"));

    assertThat(answer.toolCalls()).containsExactly(new ToolCall("toolu_n", "now", "{}"));
  }

  @Test
  void thinkingKeepsItsSignatureAndRedactedThinkingItsData() {
    LlmOutcome outcome =
        run(
            "end_turn",
            AnthropicWire.thinkingBlock(0, "The user ", "greets me."),
            AnthropicWire.redactedThinkingBlock(1, "EmwKAhgBEgy3va3pzix"),
            AnthropicWire.textBlock(2, "Hello", "!"));

    assertThat(deltas)
        .containsExactly(
            "thinking:The user ",
            "thinking:greets me.",
            "signature:EqQBCgIYAhIM1gbcDa9",
            "redacted:EmwKAhgBEgy3va3pzix",
            "Hello",
            "!");
    assertThat(answer.reasoningText()).isEqualTo("The user greets me.");
    assertThat(answer.thinking())
        .containsExactly(
            new ContentPart.Thinking("The user greets me.", "EqQBCgIYAhIM1gbcDa9"),
            new ContentPart.RedactedThinking("EmwKAhgBEgy3va3pzix"));
    assertThat(answer.text()).isEqualTo("Hello!");
    assertThat(outcome).isInstanceOf(LlmOutcome.Completed.class);
  }

  @Test
  void eachStopReason() {
    assertThat(run("stop_sequence", AnthropicWire.textBlock(0, "a")))
        .isEqualTo(
            new LlmOutcome.Completed(
                FinishReason.STOP, new Usage(25, 9, false, 0, null, 0), "END"));
    assertThat(((LlmOutcome.Completed) run("max_tokens", AnthropicWire.textBlock(0, "a"))).reason())
        .isEqualTo(FinishReason.LENGTH);
    assertThat(((LlmOutcome.Completed) run("end_turn", AnthropicWire.textBlock(0, "a"))).reason())
        .isEqualTo(FinishReason.STOP);
    assertThat(run("refusal", AnthropicWire.textBlock(0, "a")))
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> assertThat(failed.code()).isEqualTo(ErrorCode.CONTENT_FILTERED));
  }

  @Test
  void cacheReadsAreTheCachedPartOfAllInputTokens() {
    upstream.enqueue(
        FakeUpstream.sse(
            AnthropicWire.message(10, 3000, "end_turn", 4, AnthropicWire.textBlock(0, "ok"))));

    assertThat(provider.stream(request, sink, new CancelSignal()).usage())
        .isEqualTo(new Usage(3010, 4, false, 3000, null, 0));
  }

  @Test
  void cacheWritesAreKeptApartToo() {
    List<String> frames =
        new ArrayList<>(
            AnthropicWire.message(10, 3000, "end_turn", 4, AnthropicWire.textBlock(0, "ok")));
    frames.set(
        0,
        frames
            .getFirst()
            .replace("\"cache_creation_input_tokens\":0", "\"cache_creation_input_tokens\":500"));
    upstream.enqueue(FakeUpstream.sse(frames));

    assertThat(provider.stream(request, sink, new CancelSignal()).usage())
        .isEqualTo(new Usage(3510, 4, false, 3000, null, 500));
  }
}
