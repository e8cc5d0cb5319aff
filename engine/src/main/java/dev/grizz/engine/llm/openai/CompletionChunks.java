package dev.grizz.engine.llm.openai;

import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.llm.FinishReason;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.StreamedAnswer;
import dev.grizz.engine.llm.UpstreamErrors;
import dev.grizz.engine.llm.Usage;
import dev.grizz.engine.llm.VendorError;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One streamed completion: each chunk's text, reasoning and tool-call pieces go to the sink, its
 * finish reason and usage are kept, and {@code [DONE]} or an {@code error} object ends it. {@link
 * #outcome()} then says how it ended.
 *
 * <p>Reasoning comes as {@code delta.reasoning_content} (DeepSeek, vLLM), {@code delta.reasoning}
 * (OpenRouter, Ollama), or, from Mistral, as {@code thinking} parts of an array {@code
 * delta.content}. Tool-call pieces are passed on as they come, argument fragments unchanged even
 * when cut mid-token or not valid JSON: the caller gets what the model wrote (see {@link
 * ToolCallIndexes} for how the calls are told apart). A refusal ({@code delta.refusal}, OpenAI's
 * structured outputs) is not an answer: it ends as content filtered, with the model's words.
 */
final class CompletionChunks implements StreamedAnswer {

  private final DeltaSink sink;
  private final ToolCallIndexes calls = new ToolCallIndexes();
  private Usage usage = Usage.UNKNOWN;
  private @Nullable String finishReason;
  private @Nullable StringBuilder refusal;
  private boolean streamed;
  private boolean done;
  private LlmOutcome.@Nullable Failed reportedError;

  CompletionChunks(DeltaSink sink) {
    this.sink = sink;
  }

  @Override
  public void onEvent(@Nullable String id, @Nullable String type, String data) {
    if (data.startsWith("[DONE]")) {
      done = true;
      return;
    }
    JsonNode chunk = JsonMapper.shared().readTree(data);
    JsonNode error = chunk.path("error");
    if (error.isObject() || error.isString()) {
      reportedError = VendorError.of(error, "code").duringStream();
      return;
    }
    for (JsonNode choice : chunk.path("choices")) {
      JsonNode delta = choice.path("delta");
      String reasoning = delta.path("reasoning_content").stringValue("");
      if (reasoning.isEmpty()) {
        reasoning = delta.path("reasoning").stringValue("");
      }
      reasoning(reasoning);
      String refused = delta.path("refusal").stringValue("");
      if (!refused.isEmpty()) {
        streamed = true;
        if (refusal == null) {
          refusal = new StringBuilder();
        }
        refusal.append(refused);
      }
      JsonNode content = delta.path("content");
      if (content.isArray()) {
        parts(content);
      } else {
        text(content.stringValue(""));
      }
      for (JsonNode call : delta.path("tool_calls")) {
        streamed = true;
        sink.toolCall(calls.delta(call));
      }
      JsonNode finish = choice.path("finish_reason");
      if (finish.isString()) {
        finishReason = finish.stringValue().toLowerCase(Locale.ROOT);
      }
    }
    JsonNode reported = chunk.path("usage");
    if (reported.isObject()) {
      usage =
          new Usage(
              count(reported.path("prompt_tokens")),
              count(reported.path("completion_tokens")),
              false,
              count(reported.path("prompt_tokens_details").path("cached_tokens")),
              count(reported.path("completion_tokens_details").path("reasoning_tokens")));
    }
  }

  /** Mistral's content parts: {@code text}, and {@code thinking} holding text parts. */
  private void parts(JsonNode content) {
    for (JsonNode part : content) {
      String kind = part.path("type").stringValue("");
      if (kind.equals("text")) {
        text(part.path("text").stringValue(""));
      } else if (kind.equals("thinking")) {
        for (JsonNode thought : part.path("thinking")) {
          reasoning(thought.path("text").stringValue(""));
        }
      }
    }
  }

  private void text(String text) {
    if (!text.isEmpty()) {
      streamed = true;
      sink.accept(text);
    }
  }

  private void reasoning(String text) {
    if (!text.isEmpty()) {
      streamed = true;
      sink.reasoning(text);
    }
  }

  @Override
  public boolean ended() {
    return done || reportedError != null;
  }

  @Override
  public Usage usage() {
    return usage;
  }

  @Override
  public LlmOutcome outcome() {
    if (reportedError != null) {
      return reportedError;
    }
    if (refusal != null) {
      return new LlmOutcome.Failed(
          ErrorCode.CONTENT_FILTERED, "the model refused: " + refusal, false, usage);
    }
    if (finishReason == null) {
      return UpstreamErrors.unreachable(
          streamed ? "the stream ended before the model finished" : "empty stream", usage);
    }
    switch (finishReason) {
      case "content_filter" -> {
        return new LlmOutcome.Failed(
            ErrorCode.CONTENT_FILTERED,
            "the provider's content filter stopped the answer",
            false,
            usage);
      }
      case "error" -> {
        // Mistral's: the model failed mid-answer; what streamed is not a whole answer.
        return UpstreamErrors.unreachable("the provider ended the answer with an error", usage);
      }
      default -> {
        return new LlmOutcome.Completed(finish(finishReason), usage);
      }
    }
  }

  /**
   * A stream that made tool calls ended for them, whatever it says: some local servers end one with
   * {@code stop}.
   */
  private FinishReason finish(String reason) {
    return switch (reason) {
      case "length", "model_length" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      default -> calls.any() ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    };
  }

  private static @Nullable Integer count(JsonNode tokens) {
    return tokens.isInt() ? tokens.intValue() : null;
  }
}
