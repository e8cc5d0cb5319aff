package dev.grizz.engine.conversation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * How an answer was made: its turn's steps from the question down, the version the answer belongs
 * to only (the first answer step under the question, its tool calls and follow-ups), oldest first.
 */
@Service
public class Traces {

  private final StepRepository steps;

  Traces(StepRepository steps) {
    this.steps = steps;
  }

  /** The question's step and the steps of the version that answered it, oldest first. */
  public record Trace(Step question, List<Step> steps) {}

  /**
   * The trace of the answer (or tool) step {@code stepId} of the user's conversation.
   *
   * @throws ConversationNotFoundException for an unknown or foreign conversation or step
   * @throws InvalidStepException for a step that belongs to no answered question
   */
  @Transactional(readOnly = true)
  public Trace of(UUID userId, UUID conversationId, UUID stepId) {
    steps
        .findOwned(userId, conversationId, stepId)
        .orElseThrow(() -> new ConversationNotFoundException(conversationId));
    List<Step> all = steps.forTask(conversationId);
    Map<UUID, Step> byId = new HashMap<>();
    Map<UUID, List<Step>> children = new HashMap<>();
    for (Step step : all) {
      byId.put(step.id(), step);
      if (step.parentStepId() != null) {
        children.computeIfAbsent(step.parentStepId(), k -> new ArrayList<>()).add(step);
      }
    }
    // Up from the step to its question; the step just under the question heads the version.
    Step version = null;
    Step at = byId.get(stepId);
    while (at != null && at.type() != Step.StepType.USER_INPUT) {
      version = at;
      at = at.parentStepId() == null ? null : byId.get(at.parentStepId());
    }
    if (at == null || version == null) {
      throw new InvalidStepException(
          "invalid_step", "step_id", "A trace is of an answer or a tool call, not of a message.");
    }
    Set<UUID> made = new HashSet<>();
    List<Step> todo = new ArrayList<>(List.of(version));
    while (!todo.isEmpty()) {
      Step step = todo.removeLast();
      made.add(step.id());
      for (Step child : children.getOrDefault(step.id(), List.of())) {
        if (child.type() != Step.StepType.USER_INPUT && child.type() != Step.StepType.SUMMARY) {
          todo.add(child);
        }
      }
    }
    return new Trace(at, all.stream().filter(s -> made.contains(s.id())).toList());
  }
}
