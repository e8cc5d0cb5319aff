/**
 * The agent: it runs steps, and answers. {@link dev.grizz.engine.agent.Answering} is what every
 * answer goes through whoever asked and wherever it goes (a step's event log, or straight back to a
 * {@code /v1} caller): {@link dev.grizz.engine.agent.Answering#admit} checks what comes in (content
 * policy, budgets) and {@link dev.grizz.engine.agent.Answering#run} makes the answer (router,
 * fallback, pricing) and checks what goes out.
 *
 * <p>{@link dev.grizz.engine.agent.StepWorker} claims a conversation's queued steps (its own job
 * queue, takeover of stalled attempts) and hands each to the runner of its type: {@link
 * dev.grizz.engine.agent.AnswerStepRunner} for an answer (context from the step graph, {@link
 * dev.grizz.engine.agent.ToolPlanner} for the tools offered, the answer streamed to the step's
 * events through {@link dev.grizz.engine.agent.StepSink}), {@link
 * dev.grizz.engine.agent.ToolStepRunner} for a tool call ({@link dev.grizz.engine.agent.ToolTurns}
 * keeps a turn's calls, approvals and follow-up answer together). A new kind of step (a summary, a
 * plan) is a new runner here, not a new pipeline. {@code /v1} requests are answered by {@link
 * dev.grizz.engine.agent.DirectCompletions} and {@link dev.grizz.engine.agent.DirectToolLoop}: the
 * same answering, the answer going to the caller. Owns the {@code prompts} table.
 */
@NullMarked
package dev.grizz.engine.agent;

import org.jspecify.annotations.NullMarked;
