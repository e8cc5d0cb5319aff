package dev.grizz.engine.agent;

import dev.grizz.engine.conversation.ClaimedStep;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.conversation.StepRef;
import dev.grizz.engine.conversation.ToolSteps;
import dev.grizz.engine.event.EventData;
import dev.grizz.engine.event.EventLog;
import dev.grizz.engine.event.Job;
import dev.grizz.engine.event.JobQueue;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.telemetry.Tracing;
import dev.grizz.engine.tool.ToolRun;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The agent loop between steps: an answer's calls become queued tool jobs (or approval prompts), a
 * tool step's end queues the round's follow-up answer, a user's decision or an expired approval
 * ends a waiting call, and a cancel ends every unfinished step of the turn. Each step's events are
 * written under its own fence, numbered after what its stream already holds.
 */
@Component
public class ToolTurns {

  private static final Logger log = LoggerFactory.getLogger(ToolTurns.class);

  private final ToolSteps toolSteps;
  private final ToolStepRunner runner;
  private final EventLog events;
  private final JobQueue jobs;
  private final Cancels cancels;
  private final Clock clock;
  private final dev.grizz.engine.conversation.ConversationStore store;

  ToolTurns(
      dev.grizz.engine.conversation.ConversationStore store,
      ToolSteps toolSteps,
      ToolStepRunner runner,
      EventLog events,
      JobQueue jobs,
      Cancels cancels,
      Clock clock) {
    this.store = store;
    this.toolSteps = toolSteps;
    this.runner = runner;
    this.events = events;
    this.jobs = jobs;
    this.cancels = cancels;
    this.clock = clock;
  }

  /** After an answer that called tools: prompts for the waiting calls, jobs for the others. */
  void opened(UUID conversationId, List<ToolSteps.NewToolStep> opened) {
    for (ToolSteps.NewToolStep step : opened) {
      if (step.waiting()) {
        ToolSteps.PlannedCall call = step.call();
        Instant expires = java.util.Objects.requireNonNull(call.approvalExpiresAt());
        outside(conversationId, step.stepId())
            .emit(
                new EventData.ToolApproval(call.callId(), call.name(), call.arguments(), expires));
      } else {
        enqueue(step.stepId(), conversationId);
      }
    }
  }

  /** Runs a claimed tool step and writes its end; the round's follow-up is queued. */
  Step.StepStatus run(ClaimedStep step, StepEvents stepEvents, CancelSignal cancel) {
    ToolOutputEvents output =
        new ToolOutputEvents(
            stepEvents, String.valueOf(step.metadata().getOrDefault("call_id", "")));
    ToolStepRunner.Ended ended = runner.run(step, cancel, output);
    output.flush();
    if (!ended.round().stored()) {
      log.info("tool step {}: attempt {} no longer holds it", step.stepId(), step.attempt());
      return ended.status();
    }
    finish(stepEvents, ended);
    after(step.conversationId(), ended);
    return ended.status();
  }

  /**
   * The user's decision on a waiting tool call of their conversation: approved, it is queued to
   * run; denied, the model is told and the turn goes on.
   *
   * @throws dev.grizz.engine.conversation.ConversationNotFoundException for unknown or foreign ids
   * @throws ApprovalNotPendingException when the call does not wait (any more)
   */
  public boolean decide(UUID userId, UUID conversationId, UUID stepId, @Nullable Boolean approve) {
    StepRef step =
        store
            .ownedStep(userId, conversationId, stepId)
            .orElseThrow(
                () ->
                    new dev.grizz.engine.conversation.ConversationNotFoundException(
                        conversationId));
    if (approve == null) {
      throw new MessageRejectedException("invalid_request", "approve must be true or false.");
    }
    if (step.status() != Step.StepStatus.WAITING || !decide(conversationId, stepId, approve)) {
      throw new ApprovalNotPendingException(stepId);
    }
    return approve;
  }

  private boolean decide(UUID conversationId, UUID stepId, boolean approve) {
    if (approve) {
      if (!toolSteps.approve(stepId)) {
        return false;
      }
      enqueue(stepId, conversationId);
      return true;
    }
    return decline(conversationId, stepId, ToolRun.Status.DENIED, "The user denied this call.");
  }

  /** Denies the calls whose approval expired; returns how many. */
  int expire() {
    int expired = 0;
    for (StepRef step : toolSteps.expiredApprovals(100)) {
      if (decline(
          step.conversationId(),
          step.stepId(),
          ToolRun.Status.DENIED,
          "The user did not approve this call in time; it did not run.")) {
        expired++;
      }
    }
    return expired;
  }

  /**
   * Stops an answer step: a queued one at once, a running one on whichever pod runs it, and with it
   * the rest of its turn.
   *
   * @return the step's status as known now
   */
  public Step.StepStatus cancel(UUID conversationId, StepRef step) {
    if (step.status() == Step.StepStatus.QUEUED && store.cancelQueued(step.stepId())) {
      // No attempt ever ran (attempt 0), so none can be fenced out or fence these events out.
      StepEvents stepEvents = outside(conversationId, step.stepId());
      stepEvents.emit(new EventData.StepCancelled());
      stepEvents.emit(new EventData.StepFinished("cancelled"));
      cancelTurn(conversationId);
      return Step.StepStatus.CANCELLED;
    }
    if (!step.status().finished()) {
      cancels.cancelEverywhere(step.stepId());
    }
    // The turn's other steps too: tool calls running or waiting, a follow-up answer not started.
    boolean turnOpen = cancelTurn(conversationId);
    return step.status().finished() && !turnOpen ? step.status() : Step.StepStatus.RUNNING;
  }

  /**
   * Cancels the conversation's running turn: calls not yet run end cancelled (the model will be
   * told when the conversation goes on), running steps are stopped wherever they run.
   *
   * @return whether any step of the turn was still unfinished
   */
  boolean cancelTurn(UUID conversationId) {
    List<StepRef> open = toolSteps.unfinished(conversationId);
    for (StepRef step : open) {
      if (step.status() == Step.StepStatus.RUNNING) {
        cancels.cancelEverywhere(step.stepId());
      } else if (!decline(
              conversationId, step.stepId(), ToolRun.Status.CANCELLED, "The call was cancelled.")
          && step.status() == Step.StepStatus.QUEUED
          && store.cancelQueued(step.stepId())) {
        // A follow-up answer that had not started.
        StepEvents stepEvents = outside(conversationId, step.stepId());
        stepEvents.emit(new EventData.StepCancelled());
        stepEvents.emit(new EventData.StepFinished("cancelled"));
      }
    }
    return !open.isEmpty();
  }

  private boolean decline(UUID conversationId, UUID stepId, ToolRun.Status why, String reason) {
    Optional<ToolStepRunner.Ended> ended = runner.decline(stepId, why, reason);
    if (ended.isEmpty()) {
      return false;
    }
    finish(outside(conversationId, stepId), ended.get());
    after(conversationId, ended.get());
    return true;
  }

  private void finish(StepEvents stepEvents, ToolStepRunner.Ended ended) {
    stepEvents.emit(ended.result());
    if (ended.blocked() != null) {
      stepEvents.emit(
          new EventData.ModerationBlocked(
              "output",
              String.valueOf(ended.blocked().topCategory()),
              ended.blocked().categories()));
    }
    stepEvents.emit(
        new EventData.StepFinished(
            ended.status().name().toLowerCase(java.util.Locale.ROOT), ended.round().continues()));
  }

  private void after(UUID conversationId, ToolStepRunner.Ended ended) {
    UUID followUp = ended.round().followUp();
    if (followUp != null) {
      enqueue(followUp, conversationId);
    }
  }

  /**
   * A job for the step: run on this pod when a worker is free (no queue round trips), else queued
   * for any pod; a step left behind by a pod's death is queued again by the sweep either way.
   */
  private void enqueue(UUID stepId, UUID conversationId) {
    jobs.runHereOrEnqueue(new Job(stepId, conversationId, Tracing.currentTraceparent()));
  }

  /** Events of a step written outside any worker: no attempt has run it (attempt 0). */
  private StepEvents outside(UUID conversationId, UUID stepId) {
    return new StepEvents(
        events,
        clock,
        events.fence(conversationId, stepId, 0),
        events.lastSeq(conversationId, stepId),
        new CancelSignal());
  }
}
