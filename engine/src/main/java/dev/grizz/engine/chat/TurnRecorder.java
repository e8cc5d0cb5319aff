package dev.grizz.engine.chat;

import dev.grizz.engine.agent.ChatSettings;
import dev.grizz.engine.agent.StepSpans;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.conversation.Turn;
import dev.grizz.engine.conversation.TurnParent;
import dev.grizz.engine.event.Job;
import dev.grizz.engine.event.JobQueue;
import dev.grizz.engine.telemetry.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Records a checked message for {@link ChatService}: the user's turn with a queued answer step,
 * then the answer's job, handed to a worker under a {@code job.enqueue} span.
 */
final class TurnRecorder {

  private final ConversationStore store;
  private final JobQueue jobs;
  private final Tracing tracing;
  private final ChatSettings settings;

  TurnRecorder(ConversationStore store, JobQueue jobs, Tracing tracing, ChatSettings settings) {
    this.store = store;
    this.jobs = jobs;
    this.tracing = tracing;
    this.settings = settings;
  }

  PostedMessage record(
      UUID userId,
      @Nullable UUID apiKeyId,
      UUID conversationId,
      MessageChecks.CheckedMessage message,
      TurnParent parent) {
    Map<String, Object> stepMetadata = new java.util.LinkedHashMap<>();
    stepMetadata.put("model", message.model());
    if (apiKeyId != null) {
      // The worker bills the answer to the key too.
      stepMetadata.put("api_key_id", apiKeyId.toString());
    }
    Turn turn =
        store.appendUserTurn(
            userId,
            conversationId,
            message.content(),
            message.images(),
            message.tokens(),
            stepMetadata,
            message.clientMessageId(),
            settings.maxTurns(),
            parent);
    if (!turn.duplicate()) {
      enqueue(new Job(turn.stepId(), conversationId, null));
    }
    return new PostedMessage(turn, Step.StepStatus.QUEUED);
  }

  /**
   * Hands the job to a free worker on this pod, or queues it for any pod, under a {@code
   * job.enqueue} span whose context rides in the job, so the worker continues this trace.
   */
  @SuppressWarnings("try") // the scope is used for its side effect: the current span
  private void enqueue(Job job) {
    Span span =
        tracing
            .tracer()
            .spanBuilder("job.enqueue")
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute(StepSpans.STEP_ID, job.stepId().toString())
            .setAttribute(StepSpans.CONVERSATION_ID, job.conversationId().toString())
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      jobs.runHereOrEnqueue(
          new Job(job.stepId(), job.conversationId(), Tracing.currentTraceparent()));
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }
}
