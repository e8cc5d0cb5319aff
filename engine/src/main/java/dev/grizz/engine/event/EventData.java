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

  /** What the step's last provider call cost; token counts the provider did not report are null. */
  record Usage(
      String provider,
      String model,
      @Nullable Integer promptTokens,
      @Nullable Integer completionTokens,
      BigDecimal usageCents,
      boolean estimated)
      implements EventData {
    public static final String TYPE = "usage";

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

  /** The last event of a step: completed, failed or cancelled. */
  record StepFinished(String status) implements EventData {
    public static final String TYPE = "step.finished";

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
