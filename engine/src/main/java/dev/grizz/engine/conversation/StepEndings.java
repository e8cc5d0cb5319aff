package dev.grizz.engine.conversation;

import dev.grizz.engine.config.IdGenerator;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The write of how a claimed step ended, for {@link ConversationStore#finish}: its answer message
 * (when it has text or tool calls) and its end, stored only while the claim still holds. Runs
 * inside the store's transaction.
 */
final class StepEndings {

  private final StepRepository steps;
  private final IdGenerator ids;
  private final Supplier<Instant> clock;

  StepEndings(StepRepository steps, IdGenerator ids, Supplier<Instant> clock) {
    this.steps = steps;
    this.ids = ids;
    this.clock = clock;
  }

  ConversationStore.Finished finish(ClaimedStep claimed, StepResult result) {
    Instant now = clock.get();
    Message answer =
        result.answer() == null && result.toolCalls().isEmpty()
            ? null
            : new Message(
                ids.next(),
                claimed.stepId(),
                Message.Role.ASSISTANT,
                result.answer() == null ? "" : result.answer(),
                result.answerTokens(),
                now,
                result.reasoning(),
                List.of(),
                result.toolCalls(),
                null,
                result.thinking());
    // A summary is the engine's own work: it does not make the conversation recently active.
    boolean activity = claimed.type() != Step.StepType.SUMMARY;
    if (!steps.finish(
        claimed.stepId(), result, now, claimed.worker(), claimed.attempt(), answer, activity)) {
      boolean superseded =
          steps.attempt(claimed.stepId()).map(held -> held != claimed.attempt()).orElse(false);
      return new ConversationStore.Finished(
          superseded
              ? ConversationStore.Finished.Ending.SUPERSEDED
              : ConversationStore.Finished.Ending.NOT_STORED,
          null);
    }
    return new ConversationStore.Finished(
        ConversationStore.Finished.Ending.STORED, answer == null ? null : answer.id());
  }
}
