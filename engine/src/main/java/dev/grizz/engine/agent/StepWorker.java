package dev.grizz.engine.agent;

import dev.grizz.engine.conversation.ClaimedStep;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.conversation.StepRef;
import dev.grizz.engine.event.EventData;
import dev.grizz.engine.event.EventLog;
import dev.grizz.engine.event.EventSettings;
import dev.grizz.engine.event.Job;
import dev.grizz.engine.event.JobHandler;
import dev.grizz.engine.event.JobQueue;
import dev.grizz.engine.event.StepFence;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.telemetry.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs answer steps taken from the job queue, on whichever pod takes them. A step whose worker died
 * is taken over and <em>restarted</em>: the new worker emits {@code step.restarted} (clients drop
 * the partial text they hold) and generates the answer again; only one worker's answer is stored,
 * because storing requires the claim to still hold.
 */
@Component
class StepWorker implements JobHandler, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(StepWorker.class);

  private final ConversationStore store;
  private final AnswerStepRunner agent;
  private final Summarizer summarizer;
  private final EventLog events;
  private final JobQueue jobs;
  private final Cancels cancels;
  private final EventSettings settings;
  private final Clock clock;
  private final Tracing tracing;
  private final ToolTurns toolTurns;
  private final java.util.Map<Step.StepType, StepRunner> runners =
      new java.util.EnumMap<>(Step.StepType.class);
  private volatile boolean stopping;
  private final io.micrometer.core.instrument.Counter deltas;
  private @Nullable Thread sweeper;

  StepWorker(
      ConversationStore store,
      AnswerStepRunner agent,
      EventLog events,
      JobQueue jobs,
      Cancels cancels,
      EventSettings settings,
      Clock clock,
      io.micrometer.core.instrument.MeterRegistry meters,
      Tracing tracing,
      ToolTurns toolTurns,
      Summarizer summarizer,
      java.util.List<StepRunner> runners) {
    this.summarizer = summarizer;
    for (StepRunner runner : runners) {
      if (this.runners.put(runner.type(), runner) != null) {
        throw new IllegalStateException("two runners for steps of type " + runner.type());
      }
    }
    this.tracing = tracing;
    this.toolTurns = toolTurns;
    this.store = store;
    this.agent = agent;
    this.events = events;
    this.jobs = jobs;
    this.cancels = cancels;
    this.settings = settings;
    this.clock = clock;
    this.deltas = meters.counter("grizz.deltas");
    io.micrometer.core.instrument.Gauge.builder(
            "grizz.steps.queued", store, ConversationStore::queuedSteps)
        .description("Answer steps waiting for a worker, across all pods")
        .register(meters);
  }

  @EventListener(ApplicationReadyEvent.class)
  void start() {
    jobs.start(this);
    sweeper = Thread.ofVirtual().name("step-sweeper").start(this::sweep);
  }

  /**
   * Runs the job under a {@code chat.step} span that continues the trace of the request that queued
   * it (on any pod), with its trace id in this thread's log lines.
   */
  @SuppressWarnings("try") // the scope is used for its side effect: the current span
  @Override
  public void handle(Job job) {
    Span span =
        tracing
            .tracer()
            .spanBuilder("chat.step")
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(Tracing.parent(job.traceparent()))
            .setAttribute(StepSpans.STEP_ID, job.stepId().toString())
            .setAttribute(StepSpans.CONVERSATION_ID, job.conversationId().toString())
            .setAttribute(StepSpans.POD, jobs.podId())
            .startSpan();
    try (Scope scope = Tracing.activate(span, Tracing.traceId(span, job.traceparent()))) {
      run(job, span);
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }

  private void run(Job job, Span span) {
    Optional<ClaimedStep> taken = store.claim(job.stepId(), jobs.podId(), settings.lease());
    if (taken.isEmpty()) {
      return;
    }
    ClaimedStep step = taken.get();
    span.setAttribute(StepSpans.ATTEMPT, (long) step.attempt());
    // The fence goes up before the last seq is read: from then on no earlier attempt of the step,
    // however stalled, can append, so this attempt's numbering cannot collide with one of theirs.
    StepFence fence = events.fence(step.conversationId(), step.stepId(), step.attempt());
    CancelSignal cancel = cancels.register(step.stepId());
    try {
      StepRunner runner = runners.get(step.type());
      if (runner != null) {
        runElsewhere(runner, step, cancel);
        return;
      }
      boolean tool = step.type() == Step.StepType.TOOL;
      StepEvents stepEvents =
          new StepEvents(
              events,
              clock,
              fence,
              // A tool step's stream may hold its approval prompt, written before any attempt.
              step.restarted() || tool ? events.lastSeq(step.conversationId(), step.stepId()) : 0,
              cancel);
      if (tool) {
        runTool(step, stepEvents, cancel, span);
        return;
      }
      if (step.restarted()) {
        stepEvents.emit(new EventData.StepRestarted(step.attempt(), "worker_lost"));
      } else {
        stepEvents.emit(new EventData.StepStarted(step.model(), step.attempt()));
      }
      if (stepEvents.fencedOut()) {
        return;
      }
      generate(step, stepEvents, cancel, span);
    } finally {
      cancels.unregister(step.stepId(), cancel);
    }
  }

  /** A step another feature's runner runs; it beats like an answer while it runs. */
  private void runElsewhere(StepRunner runner, ClaimedStep step, CancelSignal cancel) {
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    Thread.ofVirtual().start(() -> beat(step, cancel, done));
    try {
      runner.run(step, cancel);
    } finally {
      done.countDown();
    }
  }

  /** A tool step: no text streams, only its result; it beats like an answer while it runs. */
  private void runTool(ClaimedStep step, StepEvents stepEvents, CancelSignal cancel, Span span) {
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    Thread.ofVirtual().start(() -> beat(step, cancel, done));
    try {
      Step.StepStatus status = toolTurns.run(step, stepEvents, cancel);
      span.setAttribute(StepSpans.STATUS, wire(status));
    } finally {
      done.countDown();
    }
  }

  private void generate(ClaimedStep step, StepEvents stepEvents, CancelSignal cancel, Span span) {
    long firstSeq = stepEvents.seq() - 1;
    java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
    Thread.ofVirtual().start(() -> beat(step, cancel, answered));
    AnswerStepRunner.Answer answer;
    try {
      answer = agent.answer(step, new StepSink(stepEvents, deltas), cancel);
    } finally {
      answered.countDown();
    }
    if (answer.finished().stored()) {
      finishEvents(stepEvents, answer);
      toolTurns.opened(step.conversationId(), answer.toolSteps());
      events.expireAfter(step.conversationId(), settings.retention());
      if (answer.status() == Step.StepStatus.COMPLETED && answer.toolSteps().isEmpty()) {
        summarizer.afterTurn(step);
      }
    } else {
      log.info(
          "step {}: attempt {} was taken over by another worker; its answer is not kept",
          step.stepId(),
          step.attempt());
    }
    span.setAttribute(StepSpans.EVENTS, stepEvents.seq() - firstSeq);
    span.setAttribute(StepSpans.STATUS, wire(answer.status()));
    if (answer.status() == Step.StepStatus.FAILED) {
      span.setStatus(StatusCode.ERROR);
    }
  }

  private void finishEvents(StepEvents stepEvents, AnswerStepRunner.Answer answer) {
    Completion completion = answer.completion();
    UUID messageId = answer.finished().messageId();
    if (messageId != null) {
      stepEvents.emit(new EventData.MessageCompleted(messageId, completion.text()));
    }
    stepEvents.emit(
        new EventData.Usage(
            completion.provider(),
            completion.model(),
            completion.usage().promptTokens(),
            completion.usage().completionTokens(),
            completion.usageCents(),
            completion.usage().estimated(),
            answer.memoriesUsed()));
    if (answer.moderation() != null && answer.moderation().blocked()) {
      stepEvents.emit(
          new EventData.ModerationBlocked(
              "output",
              String.valueOf(answer.moderation().topCategory()),
              answer.moderation().categories()));
    }
    switch (completion.outcome()) {
      case LlmOutcome.Cancelled cancelled -> stepEvents.emit(new EventData.StepCancelled());
      case LlmOutcome.Failed failed ->
          stepEvents.emit(new EventData.StepFailed(failed.code(), failed.message()));
      case LlmOutcome.Completed completed -> {}
    }
    stepEvents.emit(
        new EventData.StepFinished(wire(answer.status()), !answer.toolSteps().isEmpty()));
  }

  /**
   * The owner's heartbeat; a lost claim (taken over or cancelled while queued) stops the work. It
   * ends when {@code answered} opens, never by interrupt: an interrupt in the middle of a JDBC call
   * closes the pooled connection's socket, and under load the pool then fails other transactions
   * while it opens new connections.
   */
  private void beat(
      ClaimedStep step, CancelSignal cancel, java.util.concurrent.CountDownLatch answered) {
    long every = settings.lease().dividedBy(3).toNanos();
    try {
      while (!answered.await(every, java.util.concurrent.TimeUnit.NANOSECONDS)) {
        try {
          if (!store.heartbeat(step)) {
            cancel.cancel();
            return;
          }
        } catch (RuntimeException e) {
          log.warn("heartbeat of step {} failed: {}", step.stepId(), e.getMessage());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Re-queues steps whose job was lost (e.g. with a Redis that died; claims keep runs single) once
   * a lease, and denies tool calls whose approval expired once a second.
   */
  private void sweep() {
    long lastStale = System.nanoTime();
    while (!stopping) {
      try {
        Thread.sleep(Math.min(1000, settings.lease().toMillis()));
        toolTurns.expire();
        if (System.nanoTime() - lastStale < settings.lease().toNanos()) {
          continue;
        }
        lastStale = System.nanoTime();
        for (StepRef stale : store.stale(settings.lease(), 100)) {
          jobs.enqueue(new Job(stale.stepId(), stale.conversationId(), null));
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("sweeping stale steps failed: {}", e.getMessage());
      }
    }
  }

  private static String wire(Step.StepStatus status) {
    return status.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public void destroy() {
    stopping = true;
    if (sweeper != null) {
      sweeper.interrupt();
    }
  }
}
