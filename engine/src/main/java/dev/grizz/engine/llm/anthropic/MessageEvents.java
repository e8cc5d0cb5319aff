package dev.grizz.engine.llm.anthropic;

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
 * One streamed message: text from {@code content_block_delta}, input tokens from {@code
 * message_start}, output tokens and the stop reason from {@code message_delta}; {@code
 * message_stop} or an {@code error} event ends it. Other events ({@code ping}, the content block's
 * start and stop) carry nothing the engine uses and are not parsed.
 */
final class MessageEvents implements StreamedAnswer {

  private final DeltaSink sink;
  private LlmOutcome.@Nullable Failed reportedError;
  private @Nullable Integer inputTokens;
  private @Nullable Integer outputTokens;
  private @Nullable String stopReason;
  private boolean stopped;

  MessageEvents(DeltaSink sink) {
    this.sink = sink;
  }

  @Override
  public void onEvent(@Nullable String id, @Nullable String type, String data) {
    switch (type == null ? "" : type) {
      case "message_start" -> inputTokens = inputTokens(json(data).path("message").path("usage"));
      case "content_block_delta" -> {
        JsonNode delta = json(data).path("delta");
        String text = delta.path("text").stringValue("");
        if ("text_delta".equals(delta.path("type").stringValue("")) && !text.isEmpty()) {
          sink.accept(text);
        }
      }
      case "message_delta" -> {
        JsonNode event = json(data);
        JsonNode reason = event.path("delta").path("stop_reason");
        if (reason.isString()) {
          stopReason = reason.stringValue().toLowerCase(Locale.ROOT);
        }
        JsonNode output = event.path("usage").path("output_tokens");
        if (output.isInt()) {
          outputTokens = output.intValue();
        }
      }
      case "message_stop" -> stopped = true;
      case "error" ->
          reportedError = VendorError.of(json(data).path("error"), "type").duringStream();
      default -> {
        // nothing the engine uses
      }
    }
  }

  @Override
  public boolean ended() {
    return stopped || reportedError != null;
  }

  @Override
  public Usage usage() {
    return new Usage(inputTokens, outputTokens, false);
  }

  @Override
  public LlmOutcome outcome() {
    if (reportedError != null) {
      return reportedError;
    }
    if (!stopped) {
      return UpstreamErrors.unreachable("the stream ended before message_stop", usage());
    }
    if ("refusal".equals(stopReason)) {
      return new LlmOutcome.Failed(
          ErrorCode.CONTENT_FILTERED, "the model refused to answer", false, usage());
    }
    return new LlmOutcome.Completed(
        switch (stopReason == null ? "end_turn" : stopReason) {
          case "max_tokens" -> FinishReason.LENGTH;
          case "tool_use" -> FinishReason.TOOL_CALLS;
          default -> FinishReason.STOP;
        },
        usage());
  }

  private static JsonNode json(String data) {
    return JsonMapper.shared().readTree(data);
  }

  /**
   * Every input token is billed: those read from or written to the prompt cache are counted too.
   */
  private static @Nullable Integer inputTokens(JsonNode usage) {
    JsonNode uncached = usage.path("input_tokens");
    if (!uncached.isInt()) {
      return null;
    }
    JsonNode cacheRead = usage.path("cache_read_input_tokens");
    JsonNode cacheWrite = usage.path("cache_creation_input_tokens");
    return uncached.intValue()
        + (cacheRead.isInt() ? cacheRead.intValue() : 0)
        + (cacheWrite.isInt() ? cacheWrite.intValue() : 0);
  }
}
