package dev.grizz.engine.conversation;

import dev.grizz.engine.config.IdGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The write of a user's turn for {@link ConversationStore}: under the conversation's row lock, the
 * repeat of an earlier post (same {@code client_msg_id}) is found, the turn limit checked, the
 * parent chosen, and the {@code user_input} step, its message and the queued {@code llm} step
 * inserted. Runs inside the store's transaction.
 */
final class UserTurns {

  private final TaskRepository tasks;
  private final StepRepository steps;
  private final MessageRepository messages;
  private final IdGenerator ids;
  private final Supplier<Instant> clock;

  UserTurns(
      TaskRepository tasks,
      StepRepository steps,
      MessageRepository messages,
      IdGenerator ids,
      Supplier<Instant> clock) {
    this.tasks = tasks;
    this.steps = steps;
    this.messages = messages;
    this.ids = ids;
    this.clock = clock;
  }

  /**
   * See {@link ConversationStore#appendUserTurn(UUID, UUID, String, List, int, Map, String, int,
   * TurnParent)}.
   */
  Turn append(
      UUID userId,
      UUID conversationId,
      String content,
      List<String> images,
      int tokenCount,
      Map<String, Object> stepMetadata,
      @Nullable String clientMessageId,
      int maxTurns,
      TurnParent parent) {
    tasks
        .findForUpdate(userId, conversationId)
        .orElseThrow(() -> new ConversationNotFoundException(conversationId));
    if (clientMessageId != null) {
      Optional<Turn> earlier = existingTurn(userId, conversationId, clientMessageId);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    // Under the conversation's row lock, so two concurrent posts cannot both take the last turn.
    // A statement of its own: its snapshot is taken after the lock, so it sees the turn before.
    StepRepository.TurnState state = steps.turnState(conversationId);
    if (state.userTurns() >= maxTurns) {
      throw new ConversationTooLongException(maxTurns);
    }
    Instant now = clock.get();
    UUID previous = parent.root() ? null : state.latestStep();
    if (parent.stepId() != null) {
      previous = checkedParent(conversationId, parent.stepId());
    }
    Step input =
        new Step(
            ids.next(),
            conversationId,
            previous,
            Step.StepType.USER_INPUT,
            Step.StepStatus.COMPLETED,
            null,
            null,
            null,
            null,
            null,
            now,
            now,
            clientMessageId == null ? Map.of() : Map.of("client_msg_id", clientMessageId));
    Message message =
        new Message(
            ids.next(), input.id(), Message.Role.USER, content, tokenCount, now, null, images);
    Step answer =
        new Step(
            ids.next(),
            conversationId,
            input.id(),
            Step.StepType.LLM,
            Step.StepStatus.QUEUED,
            null,
            null,
            null,
            null,
            null,
            now,
            now,
            stepMetadata);
    steps.insertTurn(input, message, answer);
    return new Turn(conversationId, userId, input.id(), message.id(), answer.id(), false);
  }

  private UUID checkedParent(UUID conversationId, UUID parentId) {
    Step step =
        steps
            .find(parentId)
            .filter(s -> s.taskId().equals(conversationId))
            .orElseThrow(
                () ->
                    new InvalidStepException(
                        "invalid_parent_step_id",
                        "parent_step_id",
                        "parent_step_id names no step of this conversation."));
    if (step.type() != Step.StepType.LLM || !step.status().finished()) {
      throw new InvalidStepException(
          "invalid_parent_step_id",
          "parent_step_id",
          "parent_step_id must be a finished answer (an llm step) or \"root\".");
    }
    return step.id();
  }

  private Optional<Turn> existingTurn(UUID userId, UUID conversationId, String clientMessageId) {
    return steps
        .findByClientMessageId(conversationId, clientMessageId)
        .flatMap(
            input ->
                steps
                    .child(input.id())
                    .map(
                        answer ->
                            new Turn(
                                conversationId,
                                userId,
                                input.id(),
                                messages.forStep(input.id()).getFirst().id(),
                                answer.id(),
                                true)));
  }
}
