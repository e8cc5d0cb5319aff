package dev.grizz.engine.agent;

import dev.grizz.engine.conversation.ClaimedStep;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.llm.CancelSignal;

/**
 * Runs one type of step that another feature owns (a Responses API answer, say): {@link StepWorker}
 * claims the step, keeps its lease beating and its cancel signal registered on every pod, and hands
 * it here. The runner stores its own result, and only while the claim holds (a worker taken over
 * keeps nothing). Answer and tool steps have their runners in this package.
 */
public interface StepRunner {

  /** The type of step this runner runs; one runner per type. */
  Step.StepType type();

  /** Runs the claimed step to its end; {@code cancel} fires on a cancel from any pod. */
  void run(ClaimedStep step, CancelSignal cancel);
}
