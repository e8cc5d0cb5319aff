package dev.grizz.engine.llm;

import static dev.grizz.engine.llm.OpenAiWire.DONE;
import static dev.grizz.engine.llm.OpenAiWire.chunk;
import static dev.grizz.engine.llm.OpenAiWire.toolCallArguments;
import static dev.grizz.engine.llm.OpenAiWire.toolCallStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.openai.OpenAiCompatibleProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the OpenAI-compatible adapter reads a stream beyond plain text: tool calls (parallel,
 * interleaved, split mid-token, malformed), reasoning in each vendor's field, usage details and
 * every finish reason; and that the router never sends an adapter what it cannot carry.
 */
class OpenAiStreamTests {

  private final FakeUpstream upstream = new FakeUpstream();
  private final LlmProvider openai =
      new OpenAiCompatibleProvider(
          "openai", upstream.url("/v1"), "sk", List.of("m"), true, Duration.ofSeconds(5), false);
  private final LlmRequest request =
      new LlmRequest("m", List.of(new ChatMessage(Role.USER, "weather in Paris and Oslo?")));

  @AfterEach
  void stop() {
    upstream.close();
  }

  /** A sink that keeps every piece in order, and the answer they make. */
  private static final class Recording implements DeltaSink {
    final List<Object> pieces = new ArrayList<>();
    final AnswerBuffer answer = new AnswerBuffer();

    @Override
    public void accept(String text) {
      pieces.add("text:" + text);
      answer.accept(text);
    }

    @Override
    public void reasoning(String text) {
      pieces.add("reasoning:" + text);
      answer.reasoning(text);
    }

    @Override
    public void toolCall(ToolCallDelta delta) {
      pieces.add(delta);
      answer.toolCall(delta);
    }
  }

  private LlmOutcome run(LlmProvider provider, Recording sink, String... frames) {
    upstream.enqueue(FakeUpstream.sse(List.of(frames)));
    return provider.stream(request, sink, new CancelSignal());
  }

  private LlmOutcome run(Recording sink, String... frames) {
    return run(openai, sink, frames);
  }

  @Test
  void parallelToolCallsInterleavedAndSplitMidTokenComeOutWhole() {
    Recording sink = new Recording();

    LlmOutcome outcome =
        run(
            sink,
            toolCallStart(0, "call_a", "get_weather"),
            toolCallArguments(0, "{\"ci"),
            toolCallStart(1, "call_b", "get_weather"),
            toolCallArguments(0, "ty\":\"Par"),
            toolCallArguments(1, "{\"city\":"),
            toolCallArguments(0, "is\"}"),
            toolCallArguments(1, "\"Oslo\"}"),
            chunk("{}", "tool_calls"),
            FakeUpstream.openAiUsage(20, 30),
            DONE);

    assertThat(sink.pieces)
        .containsExactly(
            new ToolCallDelta(0, "call_a", "get_weather", ""),
            new ToolCallDelta(0, null, null, "{\"ci"),
            new ToolCallDelta(1, "call_b", "get_weather", ""),
            new ToolCallDelta(0, null, null, "ty\":\"Par"),
            new ToolCallDelta(1, null, null, "{\"city\":"),
            new ToolCallDelta(0, null, null, "is\"}"),
            new ToolCallDelta(1, null, null, "\"Oslo\"}"));
    assertThat(sink.answer.toolCalls())
        .containsExactly(
            new ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"),
            new ToolCall("call_b", "get_weather", "{\"city\":\"Oslo\"}"));
    assertThat(outcome)
        .isEqualTo(new LlmOutcome.Completed(FinishReason.TOOL_CALLS, new Usage(20, 30, false)));
  }

  @Test
  void malformedArgumentsFromTheModelArePassedThroughUnchanged() {
    Recording sink = new Recording();

    run(
        sink,
        toolCallStart(0, "call_a", "get_weather"),
        toolCallArguments(0, "{\"city\": Par"),
        toolCallArguments(0, "is,,}"),
        chunk("{}", "tool_calls"),
        DONE);

    assertThat(sink.answer.toolCalls())
        .containsExactly(new ToolCall("call_a", "get_weather", "{\"city\": Paris,,}"));
  }

  @Test
  void callsNumberedAllZeroOrNotAtAllAreToldApartByTheirIds() {
    Recording sink = new Recording();

    LlmOutcome outcome =
        run(
            sink,
            OpenAiWire.wholeToolCall(0, "aaaaaaaaa", "get_weather", "{\"city\":\"Paris\"}"),
            OpenAiWire.wholeToolCall(0, "bbbbbbbbb", "get_weather", "{\"city\":\"Oslo\"}"),
            OpenAiWire.wholeToolCall(null, "ccccccccc", "now", "{}"),
            chunk("{}", "stop"),
            DONE);

    assertThat(sink.answer.toolCalls())
        .containsExactly(
            new ToolCall("aaaaaaaaa", "get_weather", "{\"city\":\"Paris\"}"),
            new ToolCall("bbbbbbbbb", "get_weather", "{\"city\":\"Oslo\"}"),
            new ToolCall("ccccccccc", "now", "{}"));
    // Ended with "stop" after tool calls, as some local servers do: the calls are the answer.
    assertThat(outcome).isEqualTo(new LlmOutcome.Completed(FinishReason.TOOL_CALLS, Usage.UNKNOWN));
  }

  @Test
  void reasoningThenTextInEachVendorsField() {
    Recording deepSeek = new Recording();
    run(
        deepSeek,
        OpenAiWire.reasoningContent("Paris is "),
        OpenAiWire.reasoningContent("in France."),
        FakeUpstream.openAiChunk("It is ", null),
        FakeUpstream.openAiChunk("sunny.", "stop"),
        DONE);
    Recording openRouter = new Recording();
    run(
        openRouter,
        OpenAiWire.reasoning("Paris is in France."),
        FakeUpstream.openAiChunk("It is sunny.", "stop"),
        DONE);
    Recording both = new Recording();
    run(
        both,
        chunk("{\"reasoning_content\":\"once\",\"reasoning\":\"once\"}", null),
        FakeUpstream.openAiChunk("ok", "stop"),
        DONE);
    Recording mistral = new Recording();
    run(
        mistral,
        OpenAiWire.mistralThinking("Paris is in France."),
        OpenAiWire.mistralText("It is "),
        FakeUpstream.openAiChunk("sunny.", "stop"),
        DONE);

    assertThat(deepSeek.pieces)
        .containsExactly(
            "reasoning:Paris is ", "reasoning:in France.", "text:It is ", "text:sunny.");
    assertThat(openRouter.pieces)
        .containsExactly("reasoning:Paris is in France.", "text:It is sunny.");
    assertThat(both.pieces).containsExactly("reasoning:once", "text:ok");
    assertThat(mistral.pieces)
        .containsExactly("reasoning:Paris is in France.", "text:It is ", "text:sunny.");
  }

  @Test
  void aRefusalEndsAsContentFilteredWithTheModelsWords() {
    LlmOutcome outcome =
        run(
            new Recording(),
            chunk("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"}", null),
            chunk("{\"refusal\":\"I can't \"}", null),
            chunk("{\"refusal\":\"help with that.\"}", null),
            chunk("{}", "stop"),
            DONE);

    assertThat(outcome)
        .isEqualTo(
            new LlmOutcome.Failed(
                ErrorCode.CONTENT_FILTERED,
                "the model refused: I can't help with that.",
                false,
                Usage.UNKNOWN));
  }

  @Test
  void usageCarriesCachedPromptAndReasoningTokens() {
    LlmOutcome outcome =
        run(
            new Recording(),
            FakeUpstream.openAiChunk("ok", "stop"),
            OpenAiWire.usageWithDetails(1200, 300, 1024, 256),
            DONE);

    assertThat(outcome.usage()).isEqualTo(new Usage(1200, 300, false, 1024, 256));
  }

  @Test
  void everyFinishReasonMapsToTheEnginesOwn() {
    record Case(String reason, LlmOutcome expected) {}
    LlmOutcome.Failed filtered =
        new LlmOutcome.Failed(
            ErrorCode.CONTENT_FILTERED,
            "the provider's content filter stopped the answer",
            false,
            Usage.UNKNOWN);
    List<Case> cases =
        List.of(
            new Case("stop", new LlmOutcome.Completed(FinishReason.STOP, Usage.UNKNOWN)),
            new Case("length", new LlmOutcome.Completed(FinishReason.LENGTH, Usage.UNKNOWN)),
            new Case("model_length", new LlmOutcome.Completed(FinishReason.LENGTH, Usage.UNKNOWN)),
            new Case(
                "tool_calls", new LlmOutcome.Completed(FinishReason.TOOL_CALLS, Usage.UNKNOWN)),
            new Case(
                "function_call", new LlmOutcome.Completed(FinishReason.TOOL_CALLS, Usage.UNKNOWN)),
            new Case("content_filter", filtered));
    for (Case c : cases) {
      assertThat(run(new Recording(), FakeUpstream.openAiChunk("x", c.reason()), DONE))
          .as(c.reason())
          .isEqualTo(c.expected());
    }
    assertThat(run(new Recording(), FakeUpstream.openAiChunk("x", "error"), DONE))
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> assertThat(failed.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
  }
}
