package dev.grizz.engine.llm.anthropic;

import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.llm.FinishReason;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.StreamedAnswer;
import dev.grizz.engine.llm.ToolCallDelta;
import dev.grizz.engine.llm.UpstreamErrors;
import dev.grizz.engine.llm.Usage;
import dev.grizz.engine.llm.VendorError;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One streamed message: text, thinking and tool-call pieces from {@code content_block_start} and
 * {@code content_block_delta}, input tokens from {@code message_start}, output tokens and the stop
 * reason from {@code message_delta}; {@code message_stop} or an {@code error} event ends it.
 *
 * <p>A {@code tool_use} block's start gives the call's id and name; its {@code input_json_delta}s
 * are the argument text, passed on as written (cut anywhere, even malformed). Blocks are numbered
 * among all of the message's blocks; tool calls are numbered 0, 1, … among the calls. A thinking
 * block's {@code signature_delta} and a {@code redacted_thinking} block's data go to the sink, so
 * the answer can be sent back unchanged in a later turn, as the API wants for thinking with tools.
 */
final class MessageEvents implements StreamedAnswer {

  private final DeltaSink sink;
  private LlmOutcome.@Nullable Failed reportedError;
  private @Nullable Integer inputTokens;
  private @Nullable Integer cachedTokens;
  private @Nullable Integer cacheWriteTokens;
  private @Nullable Integer outputTokens;
  private @Nullable String stopReason;
  private @Nullable String stopSequence;
  private boolean stopped;

  /** The tool-call index of each tool_use block, by the block's index. */
  private final Map<Integer, Integer> toolCalls = new HashMap<>();

  /** The tool_use blocks whose input has streamed some text. */
  private final Set<Integer> withInput = new HashSet<>();

  /**
   * Whether the request asked for JSON through the forced tool ({@link JsonFormatTool}): that
   * tool's input is then the answer's text, and its call a normal stop.
   */
  private final boolean jsonTool;

  /** The block of the JSON format tool's call, or -1. */
  private int jsonBlock = -1;

  MessageEvents(DeltaSink sink) {
    this(sink, false);
  }

  MessageEvents(DeltaSink sink, boolean jsonTool) {
    this.sink = sink;
    this.jsonTool = jsonTool;
  }

  @Override
  public void onEvent(@Nullable String id, @Nullable String type, String data) {
    switch (type == null ? "" : type) {
      case "message_start" -> {
        JsonNode usage = json(data).path("message").path("usage");
        inputTokens = inputTokens(usage);
        JsonNode cacheRead = usage.path("cache_read_input_tokens");
        cachedTokens = cacheRead.isInt() ? cacheRead.intValue() : null;
        JsonNode cacheWrite = usage.path("cache_creation_input_tokens");
        cacheWriteTokens = cacheWrite.isInt() ? cacheWrite.intValue() : null;
      }
      case "content_block_start" -> {
        JsonNode event = json(data);
        JsonNode block = event.path("content_block");
        if (jsonTool && JsonFormatTool.NAME.equals(block.path("name").stringValue(""))) {
          jsonBlock = event.path("index").asInt();
        } else if ("redacted_thinking".equals(block.path("type").stringValue(""))) {
          sink.redactedThinking(block.path("data").stringValue(""));
        } else if ("tool_use".equals(block.path("type").stringValue(""))) {
          int call = toolCalls.size();
          toolCalls.put(event.path("index").asInt(), call);
          sink.toolCall(
              new ToolCallDelta(
                  call, block.path("id").stringValue(""), block.path("name").stringValue(""), ""));
        }
      }
      case "content_block_delta" -> delta(json(data));
      case "content_block_stop" -> {
        int block = json(data).path("index").asInt();
        if (block == jsonBlock && !withInput.contains(block)) {
          sink.accept("{}");
        }
        Integer call = toolCalls.get(block);
        if (call != null && !withInput.contains(block)) {
          // A call without arguments streams no input text: its input is the empty object.
          sink.toolCall(new ToolCallDelta(call, null, null, "{}"));
        }
      }
      case "message_delta" -> {
        JsonNode event = json(data);
        JsonNode reason = event.path("delta").path("stop_reason");
        if (reason.isString()) {
          stopReason = reason.stringValue().toLowerCase(Locale.ROOT);
        }
        JsonNode sequence = event.path("delta").path("stop_sequence");
        if (sequence.isString()) {
          stopSequence = sequence.stringValue();
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
        // ping: nothing the engine uses
      }
    }
  }

  private void delta(JsonNode event) {
    JsonNode delta = event.path("delta");
    switch (delta.path("type").stringValue("")) {
      case "text_delta" -> {
        String text = delta.path("text").stringValue("");
        if (!text.isEmpty()) {
          sink.accept(text);
        }
      }
      case "thinking_delta" -> {
        String thinking = delta.path("thinking").stringValue("");
        if (!thinking.isEmpty()) {
          sink.reasoning(thinking);
        }
      }
      case "input_json_delta" -> {
        int block = event.path("index").asInt();
        Integer call = toolCalls.get(block);
        String json = delta.path("partial_json").stringValue("");
        if (block == jsonBlock && !json.isEmpty()) {
          withInput.add(block);
          sink.accept(json);
        } else if (call != null && !json.isEmpty()) {
          withInput.add(block);
          sink.toolCall(new ToolCallDelta(call, null, null, json));
        }
      }
      case "signature_delta" -> sink.thinkingSignature(delta.path("signature").stringValue(""));
      default -> {
        // citations: not kept
      }
    }
  }

  @Override
  public boolean ended() {
    return stopped || reportedError != null;
  }

  @Override
  public Usage usage() {
    return new Usage(inputTokens, outputTokens, false, cachedTokens, null, cacheWriteTokens);
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
          case "tool_use" -> jsonTool ? FinishReason.STOP : FinishReason.TOOL_CALLS;
          default -> FinishReason.STOP;
        },
        usage(),
        "stop_sequence".equals(stopReason) ? stopSequence : null);
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
