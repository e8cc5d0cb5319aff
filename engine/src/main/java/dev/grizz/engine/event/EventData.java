package dev.grizz.engine.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What an event says: one record per event type, the closed set of the event contract. A record's
 * components are its {@code data} fields as sent (snake_case by the engine's mapper), so a field
 * added here reaches every client at once; {@code EventContractTests} keeps the web client's union
 * in step. Numbers a producer did not know stay null on the wire, never 0.
 */
public sealed interface EventData {

  /** The event's {@code type} on the wire. */
  String type();

  /** An attempt of a step began generating. */
  record StepStarted(String model, int attempt) implements EventData {
    public static final String TYPE = "step.started";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * The model generating the step now, as {@code provider/model}: the router's pick for a step
   * stored with {@code auto}, sent before its first token and again whenever a fallback takes over.
   */
  record StepModel(String model) implements EventData {
    public static final String TYPE = "step.model";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** A later attempt took a step over: the text streamed so far is void. */
  record StepRestarted(int attempt, String reason) implements EventData {
    public static final String TYPE = "step.restarted";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * Text of the answer. {@code seqFrom} is set only on a frame that merges a backlog's consecutive
   * deltas (seq_from..seq); a single delta has none, and its JSON no such field.
   */
  record MessageDelta(
      String text, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long seqFrom)
      implements EventData {
    public static final String TYPE = "message.delta";

    public MessageDelta(String text) {
      this(text, null);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * A thinking model's reasoning, as it streams before (or between) the answer's text. Shown apart
   * from the answer, and stored with it.
   */
  record ReasoningDelta(String text) implements EventData {
    public static final String TYPE = "reasoning.delta";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** The answer as stored. */
  record MessageCompleted(UUID messageId, String text) implements EventData {
    public static final String TYPE = "message.completed";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * What the step's last provider call cost; token counts the provider did not report are null.
   * {@code memoriesUsed}: the user's memories the answer was sent (sent only when there are some;
   * absent reads as none), so a client shows them without fetching the stored step.
   */
  record Usage(
      String provider,
      String model,
      @Nullable Integer promptTokens,
      @Nullable Integer completionTokens,
      BigDecimal usageCents,
      boolean estimated,
      @JsonInclude(JsonInclude.Include.NON_EMPTY)
          @com.fasterxml.jackson.annotation.JsonSetter(
              nulls = com.fasterxml.jackson.annotation.Nulls.AS_EMPTY)
          List<MemoryUsed> memoriesUsed)
      implements EventData {
    public static final String TYPE = "usage";

    public Usage {
      memoriesUsed = List.copyOf(memoriesUsed);
    }

    public Usage(
        String provider,
        String model,
        @Nullable Integer promptTokens,
        @Nullable Integer completionTokens,
        BigDecimal usageCents,
        boolean estimated) {
      this(provider, model, promptTokens, completionTokens, usageCents, estimated, List.of());
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** Moderation held the answer back; {@code category} is the strongest one. */
  record ModerationBlocked(String direction, String category, List<String> categories)
      implements EventData {
    public static final String TYPE = "moderation.blocked";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** The step was cancelled; its partial answer is kept. */
  record StepCancelled() implements EventData {
    public static final String TYPE = "step.cancelled";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** The step failed; {@code code} is the engine's error code. */
  record StepFailed(String code, String message) implements EventData {
    public static final String TYPE = "step.failed";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * The model is calling a tool: one piece of the call's arguments as the model writes them ({@code
   * arguments} fragments concatenate to the JSON text), with the call's id and the tool's name on
   * every piece. Sent on the {@code llm} step that makes the call.
   */
  record ToolCall(String callId, String name, String arguments) implements EventData {
    public static final String TYPE = "tool.call";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * A tool call waits for the user: approve or deny it (on the {@code tool} step that sent this)
   * before {@code expiresAt}, or it is denied. {@code arguments} is the call's JSON text.
   */
  record ToolApproval(String callId, String name, String arguments, java.time.Instant expiresAt)
      implements EventData {
    public static final String TYPE = "tool.approval";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * A tool call ended: how ({@code ok}, {@code error}, {@code invalid_arguments}, {@code timeout},
   * {@code cancelled}, {@code denied}, {@code interrupted}, {@code unknown_tool}), its result cut
   * for display ({@code truncated} when cut; the model may see more), and how long it ran. Sent on
   * the {@code tool} step that ran it.
   */
  record ToolResult(
      String callId,
      String name,
      String status,
      String result,
      boolean truncated,
      long durationMs,
      @JsonInclude(JsonInclude.Include.NON_EMPTY)
          @com.fasterxml.jackson.annotation.JsonSetter(
              nulls = com.fasterxml.jackson.annotation.Nulls.AS_EMPTY)
          List<FileRef> files)
      implements EventData {
    public static final String TYPE = "tool.result";

    public ToolResult {
      files = List.copyOf(files);
    }

    public ToolResult(
        String callId,
        String name,
        String status,
        String result,
        boolean truncated,
        long durationMs) {
      this(callId, name, status, result, truncated, durationMs, List.of());
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * Output of a tool call while it runs (code's stdout or stderr as it prints), shown live; the
   * {@code tool.result} that follows is what counts (it may withhold what streamed here). Sent on
   * the {@code tool} step that runs the call.
   */
  record ToolOutput(String callId, String stream, String text) implements EventData {
    public static final String TYPE = "tool.output";

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** A memory an answer was sent, as the step's {@code metadata.memories_used} holds it. */
  record MemoryUsed(String id, String content) {}

  /**
   * A file a tool call wrote (sent only when there are some; absent reads as none): the user is
   * shown it, from {@code /api/v1/files/{id}}.
   */
  record FileRef(String id, String name, String mediaType, long size) {}

  /**
   * The last event of a step: completed, failed or cancelled. {@code continues} is true when more
   * steps of the same turn follow (an answer that called tools, and the tool steps themselves): the
   * turn is over at the first {@code step.finished} without it. The field is sent only when true:
   * absent reads as false, which is also right for events written before tools existed.
   */
  record StepFinished(
      String status,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT)
          @com.fasterxml.jackson.annotation.JsonSetter(
              nulls = com.fasterxml.jackson.annotation.Nulls.AS_EMPTY)
          boolean continues)
      implements EventData {
    public static final String TYPE = "step.finished";

    public StepFinished(String status) {
      this(status, false);
    }

    /** Whether the turn is over with this step. */
    public boolean endsTurn() {
      return !continues;
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * A transport's error frame ({@code {"type":"error","data":…}}, no envelope): never logged, sent
   * to one client, e.g. when its access is revoked. {@code details} is data the client can act on.
   */
  record Error(
      String code,
      String message,
      @Nullable String traceId,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Map<String, Object> details)
      implements EventData {
    public static final String TYPE = "error";

    public Error(String code, String message, @Nullable String traceId) {
      this(code, message, traceId, null);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
