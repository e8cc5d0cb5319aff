package dev.grizz.engine.llm.openai;

import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.UpstreamErrors;
import dev.grizz.engine.llm.Usage;
import java.io.IOException;
import java.util.Locale;
import okhttp3.internal.sse.ServerSentEventReader;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One streamed completion, read on the calling thread as its server-sent events arrive: each
 * chunk's text goes to the sink, its finish reason and usage are kept, and {@code [DONE]}, an
 * {@code error} object or a cancel stops the reading. {@link #outcome()} then says how it ended.
 *
 * <p>okhttp-sse's reader is used directly: its {@code EventSources.processResponse} would wrap the
 * same loop, but in 4.12.0 it always throws (a {@code lateinit} call only {@code connect} sets,
 * square/okhttp#6668).
 */
final class CompletionChunks implements ServerSentEventReader.Callback {

  /** A stream only starts after a success: an error inside it is classified by its words alone. */
  private static final int STREAM_STATUS = 200;

  private final DeltaSink sink;
  private final CancelSignal cancel;
  private Usage usage = Usage.UNKNOWN;
  private @Nullable String finishReason;
  private boolean streamed;
  private boolean done;
  private LlmOutcome.@Nullable Failed reportedError;

  CompletionChunks(DeltaSink sink, CancelSignal cancel) {
    this.sink = sink;
    this.cancel = cancel;
  }

  /**
   * Reads events until the body ends, {@code [DONE]}, an error object or a cancel.
   *
   * @throws IOException when the connection breaks or is closed by a cancel
   * @throws tools.jackson.core.JacksonException when a chunk is not JSON
   */
  void read(BufferedSource body) throws IOException {
    ServerSentEventReader events = new ServerSentEventReader(body, this);
    while (!done && reportedError == null && !cancel.isCancelled() && events.processNextEvent()) {
      // onEvent has taken the event
    }
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
      VendorError vendor = VendorError.of(error);
      reportedError =
          UpstreamErrors.fromStatus(STREAM_STATUS, null, vendor.code(), vendor.message());
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
  public void onRetryChange(long timeMs) {
    // A stream is never reconnected here: a broken one fails, and the router falls back.
  }

  /** Token counts as far as the stream has reported them. */
  Usage usage() {
    return usage;
  }

  /** How the stream ended, once {@link #read} has returned. */
  LlmOutcome outcome() {
    if (cancel.isCancelled()) {
      return new LlmOutcome.Cancelled(usage);
    }
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
    return new LlmOutcome.Completed(finishReason, usage);
  }

  private static @Nullable Integer count(JsonNode tokens) {
    return tokens.isInt() ? tokens.intValue() : null;
  }
}
