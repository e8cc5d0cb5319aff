package dev.grizz.engine.conversation;

import dev.grizz.engine.config.IdGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The agent loop's record: an {@code llm} step's tool calls become its {@code tool} child steps
 * (queued, or waiting for the user's approval); each ends with a {@code tool} message holding its
 * result; when the last of a round ends, one follow-up {@code llm} step is queued under the step
 * that asked (unless a call of the round was cancelled: then the turn ends there).
 */
@Service
public class ToolSteps {

  private static final List<String> UNCLAIMED = List.of("queued", "waiting");

  private final ToolStepRepository rows;
  private final StepRepository steps;
  private final IdGenerator ids;
  private final Clock clock;

  ToolSteps(ToolStepRepository rows, StepRepository steps, IdGenerator ids, Clock clock) {
    this.rows = rows;
    this.steps = steps;
    this.ids = ids;
    this.clock = clock;
  }

  /** A call to become a tool step; {@code approvalExpiresAt} set means it waits for the user. */
  public record PlannedCall(
      String callId,
      String name,
      String arguments,
      boolean idempotent,
      @Nullable Instant approvalExpiresAt) {}

  /** A tool step as created. */
  public record NewToolStep(UUID stepId, PlannedCall call) {

    public boolean waiting() {
      return call.approvalExpiresAt() != null;
    }
  }

  /**
   * Creates the tool steps of {@code asking}'s calls, in the caller's transaction (the one that
   * stored {@code asking}'s end), numbered in the order the model made them.
   */
  @Transactional
  public List<NewToolStep> open(ClaimedStep asking, int round, List<PlannedCall> calls) {
    Instant now = now();
    List<NewToolStep> created = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      PlannedCall call = calls.get(i);
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("call_id", call.callId());
      metadata.put("name", call.name());
      metadata.put("arguments", call.arguments());
      metadata.put("round", round);
      metadata.put("index", i);
      metadata.put("idempotent", call.idempotent());
      if (asking.apiKeyId() != null) {
        metadata.put("api_key_id", asking.apiKeyId().toString());
      }
      if (call.approvalExpiresAt() != null) {
        metadata.put("approval_expires_at", call.approvalExpiresAt().toString());
      }
      UUID id = ids.next();
      rows.insert(
          id,
          asking.conversationId(),
          asking.stepId(),
          Step.StepType.TOOL,
          call.approvalExpiresAt() == null ? Step.StepStatus.QUEUED : Step.StepStatus.WAITING,
          now,
          metadata);
      created.add(new NewToolStep(id, call));
    }
    return created;
  }

  /** How a tool step ended: its step status, the call's outcome and what the model is told. */
  public record ToolEnd(
      Step.StepStatus status,
      String outcome,
      String result,
      long durationMs,
      boolean truncated,
      Map<String, Object> details) {}

  /**
   * Where the turn goes after a tool step ended: {@code stored} is false when the end was not this
   * caller's to store (the claim was lost, or the step had already moved on); {@code followUp} is
   * the {@code llm} step queued now that the round is complete; {@code continues} says whether the
   * turn goes on (other calls of the round still open, or the follow-up).
   */
  public record RoundState(boolean stored, @Nullable UUID followUp, boolean continues) {}

  /** Stores a claimed tool step's end and, when it closes the round, queues the follow-up. */
  @Transactional
  public RoundState finish(ClaimedStep claimed, ToolEnd end) {
    return end(claimed.stepId(), claimed.worker(), claimed.attempt(), end, claimed.metadata());
  }

  /**
   * Ends a tool step nobody runs: a denied or expired approval, or a cancel of a queued or waiting
   * call. Stored only if the step still waits (or is queued).
   */
  @Transactional
  public RoundState endUnclaimed(Step step, ToolEnd end) {
    if (step.type() != Step.StepType.TOOL) {
      return new RoundState(false, null, false);
    }
    return end(step.id(), null, 0, end, step.metadata());
  }

  /** Approves a waiting call: it is queued to run. False when it no longer waits. */
  @Transactional
  public boolean approve(UUID stepId) {
    return steps.transition(stepId, Step.StepStatus.WAITING, Step.StepStatus.QUEUED, now());
  }

  /** The tool steps whose approval has expired. */
  @Transactional(readOnly = true)
  public List<StepRef> expiredApprovals(int limit) {
    return rows.expiredApprovals(now(), limit);
  }

  /** The conversation's steps not yet finished: the running turn's. */
  @Transactional(readOnly = true)
  public List<StepRef> unfinished(UUID conversationId) {
    return rows.unfinished(conversationId);
  }

  /** How many tool calls the user's conversations made since {@code since}. */
  @Transactional(readOnly = true)
  public long callsSince(UUID userId, Instant since) {
    return rows.callsSince(userId, since);
  }

  private RoundState end(
      UUID stepId,
      @Nullable String worker,
      int attempt,
      ToolEnd end,
      Map<String, Object> metadata) {
    Map<String, Object> outcome = new LinkedHashMap<>(end.details());
    outcome.put("outcome", end.outcome());
    outcome.put("duration_ms", end.durationMs());
    outcome.put("truncated", end.truncated());
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("tool_call_id", String.valueOf(metadata.get("call_id")));
    message.put("name", String.valueOf(metadata.get("name")));
    message.put("outcome", end.outcome());
    Optional<Optional<UUID>> ended =
        rows.end(
            stepId,
            worker,
            attempt,
            UNCLAIMED,
            end.status(),
            outcome,
            ids.next(),
            end.result(),
            message,
            now());
    if (ended.isEmpty()) {
      return new RoundState(false, null, false);
    }
    return ended
        .get()
        .flatMap(rows::lockRound)
        .map(this::close)
        .orElse(new RoundState(true, null, false));
  }

  /** The round after one of its calls ended: still open, cancelled, or complete (follow-up). */
  private RoundState close(ToolStepRepository.Round round) {
    if (round.open() > 0) {
      return new RoundState(true, null, true);
    }
    if (round.cancelled() > 0 || round.followedUp()) {
      return new RoundState(true, null, false);
    }
    Map<String, Object> asked = round.askingMetadata();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("model", String.valueOf(asked.get("model")));
    if (asked.get("api_key_id") != null) {
      metadata.put("api_key_id", asked.get("api_key_id"));
    }
    metadata.put("round", roundOf(asked) + 1);
    UUID followUp = ids.next();
    rows.insert(
        followUp,
        round.taskId(),
        round.askingStep(),
        Step.StepType.LLM,
        Step.StepStatus.QUEUED,
        now(),
        metadata);
    return new RoundState(true, followUp, true);
  }

  /** The tool round an {@code llm} step answers (0 for the step that answers the user). */
  public static int roundOf(Map<String, Object> metadata) {
    return metadata.get("round") instanceof Number n ? n.intValue() : 0;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
