package dev.grizz.engine.api;

import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.ModelRef;
import dev.grizz.engine.llm.ToolCallDelta;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;

/**
 * Writes a direct completion as OpenAI's chunks as it streams: text, {@code reasoning_content} and
 * tool-call pieces. The stream starts with the first piece, so a request every provider failed
 * still gets an error status and body, not a 200 with an empty stream; and by then the router has
 * said which model answers, so every chunk names it rather than the alias the client asked for
 * ({@code auto}).
 */
final class OpenAiStream implements DeltaSink {
  static final String DONE = "data: [DONE]\n\n";

  private final HttpServletResponse response;
  private final OpenAiChunks chunks;
  private final CancelSignal cancel;
  private String model = LlmRouter.AUTO;
  private @Nullable OutputStream out;

  OpenAiStream(HttpServletResponse response, OpenAiChunks chunks, CancelSignal cancel) {
    this.response = response;
    this.chunks = chunks;
    this.cancel = cancel;
  }

  @Override
  public void attempting(ModelRef candidate) {
    model = candidate.label();
  }

  /** The stream, opened with the role chunk unless the first piece carries the role itself. */
  private OutputStream open(boolean roleChunk) {
    OutputStream stream = out;
    if (stream == null) {
      stream = startQuietly();
      out = stream;
      if (roleChunk) {
        write(stream, chunks.role(model), cancel);
      }
    }
    return stream;
  }

  @Override
  public void accept(String delta) {
    write(open(true), chunks.delta(model, delta), cancel);
  }

  @Override
  public void reasoning(String text) {
    write(open(true), chunks.reasoning(model, text), cancel);
  }

  @Override
  public void toolCall(ToolCallDelta delta) {
    boolean first = out == null;
    write(open(false), chunks.toolCall(model, delta, first), cancel);
  }

  /**
   * Ends the stream: the finish chunk, usage when asked for, {@code [DONE]}. The last attempt is
   * the one whose pieces were written (the router falls back only before any), so its model is the
   * one every chunk so far has named.
   */
  void end(Completion completion, boolean includeUsage) throws IOException {
    String answered = label(completion);
    OutputStream stream = out;
    if (stream == null) {
      failIfNothingCame(completion);
      stream = start(response);
      write(stream, chunks.role(answered), cancel);
    }
    write(
        stream,
        chunks.finish(
            answered, chunks.finishReason(finish(completion), completion.toolCalls().size())),
        cancel);
    if (includeUsage) {
      write(stream, chunks.usage(answered, completion.usage()), cancel);
    }
    write(stream, DONE, cancel);
  }

  /**
   * Every candidate failed before any piece: an error status, not an empty answer. Filtered content
   * is not a failure of the request: it is answered, with finish reason {@code content_filter}.
   */
  static void failIfNothingCame(Completion completion) {
    if (completion.outcome() instanceof LlmOutcome.Failed failed
        && completion.empty()
        && !failed.code().equals(ErrorCode.CONTENT_FILTERED)) {
      throw new UpstreamFailedException(failed.code(), failed.message());
    }
  }

  static String label(Completion completion) {
    return completion.provider() + "/" + completion.model();
  }

  /** The truthful finish reason: {@code tool_calls} when the model called tools. */
  static String finish(Completion completion) {
    return switch (completion.outcome()) {
      case LlmOutcome.Completed done -> done.reason().openAi();
      case LlmOutcome.Cancelled cancelled -> "stop";
      case LlmOutcome.Failed failed ->
          failed.code().equals("content_filtered") ? "content_filter" : "error";
    };
  }

  private OutputStream startQuietly() {
    try {
      return start(response);
    } catch (IOException clientGone) {
      cancel.cancel();
      return OutputStream.nullOutputStream();
    }
  }

  static OutputStream start(HttpServletResponse response) throws IOException {
    response.setStatus(200);
    response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader("Cache-Control", "no-cache, no-transform");
    response.setHeader("X-Accel-Buffering", "no");
    return response.getOutputStream();
  }

  /** Writes one SSE frame; a client that went away cancels the upstream call. */
  static void write(OutputStream out, String frame, CancelSignal cancel) {
    if (cancel.isCancelled()) {
      return;
    }
    try {
      out.write(frame.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException clientGone) {
      cancel.cancel();
    }
  }
}
