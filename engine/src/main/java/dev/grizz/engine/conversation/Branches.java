package dev.grizz.engine.conversation;

import dev.grizz.engine.config.IdGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The branches of a conversation: another version of an answer (a new {@code llm} step beside it,
 * under the same question) and the branch the conversation shows (its active step).
 */
@Service
public class Branches {

  private final TaskRepository tasks;
  private final StepRepository steps;
  private final MessageRepository messages;
  private final StepGraphRepository graph;
  private final IdGenerator ids;
  private final Clock clock;

  Branches(
      TaskRepository tasks,
      StepRepository steps,
      MessageRepository messages,
      StepGraphRepository graph,
      IdGenerator ids,
      Clock clock) {
    this.tasks = tasks;
    this.steps = steps;
    this.messages = messages;
    this.graph = graph;
    this.ids = ids;
    this.clock = clock;
  }

  /** The question an answer step answers: its turn's {@code user_input} step and message. */
  public record Question(
      UUID inputStepId, String content, int tokens, List<String> images, String model) {}

  /**
   * The question behind an answer of the user's conversation, to check before answering it again.
   *
   * @throws ConversationNotFoundException for an unknown or foreign conversation or step
   * @throws InvalidStepException when the step is not an answer
   */
  @Transactional(readOnly = true)
  public Question question(UUID userId, UUID conversationId, UUID stepId) {
    tasks
        .find(userId, conversationId)
        .orElseThrow(() -> new ConversationNotFoundException(conversationId));
    Step answer =
        steps
            .find(stepId)
            .filter(s -> s.taskId().equals(conversationId))
            .orElseThrow(() -> new ConversationNotFoundException(conversationId));
    if (answer.type() != Step.StepType.LLM) {
      throw new InvalidStepException(
          "invalid_step", "step_id", "Only an answer (an llm step) can be regenerated.");
    }
    UUID input =
        graph
            .turnInput(stepId)
            .orElseThrow(
                () ->
                    new InvalidStepException(
                        "invalid_step", "step_id", "This answer answers no question."));
    Message question = messages.forStep(input).getFirst();
    return new Question(
        input,
        question.content(),
        question.tokenCount() == null ? 0 : question.tokenCount(),
        question.images(),
        String.valueOf(answer.metadata().getOrDefault("model", "")));
  }

  /**
   * Queues another answer to {@code question} beside the ones it has, and makes it the active step.
   *
   * @return the new answer step's id
   * @throws StepBusyException while a step of that turn has not finished
   */
  @Transactional
  public UUID regenerate(
      UUID userId, UUID conversationId, Question question, Map<String, Object> metadata) {
    tasks
        .findForUpdate(userId, conversationId)
        .orElseThrow(() -> new ConversationNotFoundException(conversationId));
    // Under the conversation's lock, so two regenerations cannot both pass while one is queued.
    if (graph.unfinishedUnder(question.inputStepId())) {
      throw new StepBusyException(question.inputStepId());
    }
    UUID id = ids.next();
    graph.insertAnswer(id, conversationId, question.inputStepId(), now(), metadata);
    return id;
  }

  /**
   * Shows the branch through {@code stepId}: the conversation's active step becomes the newest leaf
   * under it (the newest step, not a tool call or a summary, reached going down from it).
   *
   * @return that leaf
   * @throws ConversationNotFoundException for an unknown or foreign conversation
   * @throws InvalidStepException when the step is not a user_input or llm step of this conversation
   */
  @Transactional
  public UUID switchTo(UUID userId, UUID conversationId, UUID stepId) {
    tasks
        .findForUpdate(userId, conversationId)
        .orElseThrow(() -> new ConversationNotFoundException(conversationId));
    boolean branchable =
        steps
            .find(stepId)
            .filter(s -> s.taskId().equals(conversationId))
            .filter(s -> s.type() == Step.StepType.USER_INPUT || s.type() == Step.StepType.LLM)
            .isPresent();
    if (!branchable) {
      throw new InvalidStepException(
          "invalid_active_step_id",
          "active_step_id",
          "active_step_id must be a message or answer step of this conversation.");
    }
    UUID leaf = graph.leafUnder(conversationId, stepId).orElse(stepId);
    graph.setActive(conversationId, leaf);
    return leaf;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
