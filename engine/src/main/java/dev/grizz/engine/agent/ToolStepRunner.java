package dev.grizz.engine.agent;

import dev.grizz.engine.audit.AuditLog;
import dev.grizz.engine.conversation.ClaimedStep;
import dev.grizz.engine.conversation.ConversationSettings;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.conversation.ToolSteps;
import dev.grizz.engine.event.EventData;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.moderation.ModerationService;
import dev.grizz.engine.moderation.ModerationVerdict;
import dev.grizz.engine.tool.Tool;
import dev.grizz.engine.tool.ToolCalls;
import dev.grizz.engine.tool.ToolProgress;
import dev.grizz.engine.tool.ToolRegistry;
import dev.grizz.engine.tool.ToolRun;
import dev.grizz.engine.tool.ToolSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Runs one {@code tool} step: the call its parent's model made, within the turn's limits (calls per
 * round, the user's daily budget, the conversation's allowed tools), once — a call whose pod died
 * is run again only if its tool is idempotent, else the model is told it may or may not have
 * happened. The result passes output moderation before anyone sees it, is stored as the step's
 * {@code tool} message, and is audited.
 */
@Component
class ToolStepRunner {

  private final ConversationStore store;
  private final ToolSteps toolSteps;
  private final ToolRegistry registry;
  private final ToolCalls calls;
  private final ToolSettings settings;
  private final ModerationService moderation;
  private final AuditLog audit;
  private final Clock clock;

  ToolStepRunner(
      ConversationStore store,
      ToolSteps toolSteps,
      ToolRegistry registry,
      ToolCalls calls,
      ToolSettings settings,
      ModerationService moderation,
      AuditLog audit,
      Clock clock) {
    this.store = store;
    this.toolSteps = toolSteps;
    this.registry = registry;
    this.calls = calls;
    this.settings = settings;
    this.moderation = moderation;
    this.audit = audit;
    this.clock = clock;
  }

  /** How a tool step ended: where the turn goes, and what its events say. */
  record Ended(
      ToolSteps.RoundState round,
      EventData.ToolResult result,
      Step.StepStatus status,
      @Nullable ModerationVerdict blocked) {}

  /** Runs a claimed tool step to its end, showing its progress to {@code progress}. */
  Ended run(ClaimedStep claimed, CancelSignal cancel, ToolProgress progress) {
    Map<String, Object> call = claimed.metadata();
    String name = claimed.model();
    String arguments = String.valueOf(call.getOrDefault("arguments", ""));
    Optional<Tool> tool = registry.find(claimed.userId(), name);
    ToolRun run = refusal(claimed, call, name).orElse(null);
    if (run == null) {
      run =
          tool.isEmpty()
              ? ToolRun.refused(
                  ToolRun.Status.UNKNOWN_TOOL,
                  "There is no tool named '" + name + "' here. Use one of the tools offered.")
              : calls.run(
                  tool.get(),
                  arguments,
                  claimed.userId(),
                  claimed.conversationId(),
                  cancel,
                  progress);
    }
    ModerationVerdict verdict = null;
    if (run.ok() && !run.content().isBlank()) {
      verdict = moderation.checkOutput(claimed.userId(), claimed.stepId(), run.content());
      if (verdict.blocked()) {
        run =
            new ToolRun(
                ToolRun.Status.ERROR,
                "The result was withheld by the engine's content policy.",
                run.duration(),
                false);
      }
    }
    Step.StepStatus status = status(run.status());
    ToolSteps.RoundState round = toolSteps.finish(claimed, end(status, run));
    if (round.stored()) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("conversation_id", claimed.conversationId().toString());
      details.put("tool", name);
      details.put("outcome", run.status().wire());
      details.put("duration_ms", run.duration().toMillis());
      details.put("attempt", claimed.attempt());
      tool.map(Tool::definition)
          .ifPresent(
              definition -> {
                details.put("source", definition.source());
                if (definition.costCents() != null) {
                  details.put("cost_cents", definition.costCents());
                }
              });
      audit.record(claimed.userId(), "tool.call", "step", claimed.stepId().toString(), details);
    }
    String callId = String.valueOf(call.getOrDefault("call_id", ""));
    return new Ended(
        round,
        result(callId, name, run),
        status,
        verdict != null && verdict.blocked() ? verdict : null);
  }

  /**
   * Ends a call that will not run (denied, not approved in time, cancelled before it ran), from
   * outside any worker. Empty when the step had already moved on.
   */
  Optional<Ended> decline(UUID stepId, ToolRun.Status why, String reason) {
    Optional<Step> step = store.step(stepId);
    if (step.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> call = step.get().metadata();
    ToolRun run = ToolRun.refused(why, reason);
    Step.StepStatus status = status(why);
    ToolSteps.RoundState round = toolSteps.endUnclaimed(step.get(), end(status, run));
    if (!round.stored()) {
      return Optional.empty();
    }
    String name = String.valueOf(call.getOrDefault("name", ""));
    return Optional.of(
        new Ended(
            round,
            result(String.valueOf(call.getOrDefault("call_id", "")), name, run),
            status,
            null));
  }

  /** Why the call must not run, if it must not. */
  private Optional<ToolRun> refusal(ClaimedStep claimed, Map<String, Object> call, String name) {
    if (claimed.restarted() && !Boolean.TRUE.equals(call.get("idempotent"))) {
      return Optional.of(
          ToolRun.refused(
              ToolRun.Status.INTERRUPTED,
              "The engine was interrupted while this call ran: it may or may not have taken"
                  + " effect. Check before calling it again."));
    }
    int index = call.get("index") instanceof Number n ? n.intValue() : 0;
    if (index >= settings.maxCallsPerRound()) {
      return Optional.of(
          ToolRun.refused(
              ToolRun.Status.ERROR,
              "At most "
                  + settings.maxCallsPerRound()
                  + " tool calls run per answer; this one did not. Make fewer calls at once."));
    }
    ConversationSettings own = store.settings(claimed.conversationId());
    if (own.tools() != null && !own.tools().contains(name)) {
      return Optional.of(
          ToolRun.refused(
              ToolRun.Status.UNKNOWN_TOOL,
              "The tool '" + name + "' is not enabled in this conversation."));
    }
    if (settings.maxCallsPerUserPerDay() >= 0
        && toolSteps.callsSince(claimed.userId(), clock.instant().minus(Duration.ofDays(1)))
            > settings.maxCallsPerUserPerDay()) {
      return Optional.of(
          ToolRun.refused(
              ToolRun.Status.ERROR,
              "The user's tool budget for the day ("
                  + settings.maxCallsPerUserPerDay()
                  + " calls) is spent. Answer without tools."));
    }
    return Optional.empty();
  }

  private ToolSteps.ToolEnd end(Step.StepStatus status, ToolRun run) {
    return new ToolSteps.ToolEnd(
        status,
        run.status().wire(),
        run.content(),
        run.duration().toMillis(),
        run.truncated(),
        run.files().isEmpty() ? Map.of() : Map.of("files", fileRefs(run)));
  }

  private EventData.ToolResult result(String callId, String name, ToolRun run) {
    String shown = run.content();
    boolean cut = run.truncated();
    if (shown.length() > settings.displayChars()) {
      shown = shown.substring(0, settings.displayChars());
      cut = true;
    }
    return new EventData.ToolResult(
        callId, name, run.status().wire(), shown, cut, run.duration().toMillis(), fileRefs(run));
  }

  private static java.util.List<EventData.FileRef> fileRefs(ToolRun run) {
    return run.files().stream()
        .map(f -> new EventData.FileRef(f.id().toString(), f.name(), f.mediaType(), f.size()))
        .toList();
  }

  private static Step.StepStatus status(ToolRun.Status outcome) {
    return switch (outcome) {
      case OK -> Step.StepStatus.COMPLETED;
      case CANCELLED -> Step.StepStatus.CANCELLED;
      case ERROR, INVALID_ARGUMENTS, TIMEOUT, DENIED, INTERRUPTED, UNKNOWN_TOOL ->
          Step.StepStatus.FAILED;
    };
  }
}
