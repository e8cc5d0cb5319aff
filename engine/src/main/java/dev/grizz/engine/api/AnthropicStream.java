package dev.grizz.engine.api;

import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.ModelRef;
import dev.grizz.engine.llm.ToolCallDelta;
import dev.grizz.engine.llm.Usage;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;

/**
 * Writes an answer as Anthropic's events while it streams. The stream starts with the first piece,
 * so a request every provider failed still gets an error status and body rather than a 200 with an
 * empty stream, and by then the router has said which model answers. Each kind of piece goes in a
 * content block of its own, opened when the kind changes: thinking (closed by its signature, when
 * the vendor signed it), redacted thinking, text, and one {@code tool_use} block per call, whose
 * argument pieces follow it as {@code input_json_delta}s. A client that went away cancels the
 * upstream call.
 */
final class AnthropicStream implements DeltaSink {

  private final HttpServletResponse response;
  private final AnthropicEvents events;
  private final CancelSignal cancel;
  private final int inputTokens;
  private String model = LlmRouter.AUTO;
  private @Nullable OutputStream out;
  private int nextBlock;
  private int openBlock = -1;
  private @Nullable String openKind;

  /** The block of each tool call, by the call's index in the answer. */
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();

  /**
   * @param inputTokens the prompt's size as counted here, for {@code message_start}; the vendor's
   *     count follows in {@code message_delta}
   */
  AnthropicStream(
      HttpServletResponse response, AnthropicEvents events, CancelSignal cancel, int inputTokens) {
    this.response = response;
    this.events = events;
    this.cancel = cancel;
    this.inputTokens = inputTokens;
  }

  boolean started() {
    return out != null;
  }

  @Override
  public void attempting(ModelRef candidate) {
    model = candidate.label();
  }

  @Override
  public void accept(String text) {
    write(events.textDelta(block("text"), text));
  }

  @Override
  public void reasoning(String text) {
    write(events.thinkingDelta(block("thinking"), text));
  }

  /** The signature ends the thinking block: more reasoning opens another. */
  @Override
  public void thinkingSignature(String signature) {
    write(events.signatureDelta(block("thinking"), signature));
    close();
  }

  @Override
  public void redactedThinking(String data) {
    start();
    close();
    int index = nextBlock++;
    write(events.redactedThinkingStart(index, data));
    write(events.blockStop(index));
  }

  @Override
  public void toolCall(ToolCallDelta delta) {
    start();
    if (delta.id() != null) {
      close();
      openBlock = nextBlock++;
      openKind = "tool_use";
      toolBlocks.put(delta.index(), openBlock);
      write(events.toolUseStart(openBlock, delta.id(), delta.name() == null ? "" : delta.name()));
    }
    Integer block = toolBlocks.get(delta.index());
    if (block != null && !delta.arguments().isEmpty()) {
      // A call's pieces follow its start; one that came after another block began still names its
      // own block, which the clients fill by index.
      write(events.inputJsonDelta(block, delta.arguments()));
    }
  }

  /** The open block of this kind, opened (and the one before closed) if need be. */
  private int block(String kind) {
    start();
    if (!kind.equals(openKind)) {
      close();
      openBlock = nextBlock++;
      openKind = kind;
      write(kind.equals("text") ? events.textStart(openBlock) : events.thinkingStart(openBlock));
    }
    return openBlock;
  }

  private void close() {
    if (openBlock >= 0) {
      write(events.blockStop(openBlock));
      openBlock = -1;
      openKind = null;
    }
  }

  /** Begins the stream with {@code message_start}, once. */
  void start() {
    if (out != null) {
      return;
    }
    try {
      response.setStatus(200);
      response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      response.setHeader("Cache-Control", "no-cache, no-transform");
      response.setHeader("X-Accel-Buffering", "no");
      out = response.getOutputStream();
    } catch (IOException clientGone) {
      cancel.cancel();
      out = OutputStream.nullOutputStream();
    }
    write(events.messageStart(model, inputTokens));
  }

  /** Ends the stream: the stop reason and usage, or (null) an error event with this status. */
  void finish(
      @Nullable String stopReason,
      @Nullable String stopSequence,
      Usage usage,
      int errorStatus,
      String errorMessage) {
    start();
    close();
    if (stopReason == null) {
      write(events.error(errorStatus, errorMessage));
      return;
    }
    write(events.messageDelta(stopReason, stopSequence, usage));
    write(events.messageStop());
  }

  private void write(String frame) {
    OutputStream stream = out;
    if (stream == null || cancel.isCancelled()) {
      return;
    }
    try {
      stream.write(frame.getBytes(StandardCharsets.UTF_8));
      stream.flush();
    } catch (IOException clientGone) {
      cancel.cancel();
    }
  }
}
