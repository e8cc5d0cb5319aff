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
 * One streamed completion: each chunk's text goes to the sink, its finish reason and usage are
 * kept, and {@code [DONE]} or an {@code error} object ends it. {@link #outcome()} then says how it
 * ended.
 */
final class CompletionChunks implements StreamedAnswer {

  private final DeltaSink sink;
  private Usage usage = Usage.UNKNOWN;
  private @Nullable String finishReason;
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
      String text = choice.path("delta").path("content").stringValue("");
      if (!text.isEmpty()) {
        streamed = true;
        sink.accept(text);
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
              false);
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
    if (finishReason == null) {
      return UpstreamErrors.unreachable(
          streamed ? "the stream ended before the model finished" : "empty stream", usage);
    }
    if (finishReason.equals("content_filter")) {
      return new LlmOutcome.Failed(
          ErrorCode.CONTENT_FILTERED,
          "the provider's content filter stopped the answer",
          false,
          usage);
    }
    return new LlmOutcome.Completed(
        switch (finishReason) {
          case "length" -> FinishReason.LENGTH;
          case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
          default -> FinishReason.STOP;
        },
        usage);
  }

  private static @Nullable Integer count(JsonNode tokens) {
    return tokens.isInt() ? tokens.intValue() : null;
  }
}
