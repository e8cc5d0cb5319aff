package dev.grizz.engine.conversation;

import dev.grizz.engine.config.IdGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The record of conversations: tasks, their step graph and messages; a user's turn is written by
 * {@link UserTurns}, a step's end by {@link StepEndings}, pages of conversations read by {@link
 * ConversationPages}. Each public method is atomic, so a command either writes all its rows or
 * none: one transaction, or one statement (which PostgreSQL runs as a transaction of its own; the
 * hot path's single statements go without {@code Transactional}, which would only add a COMMIT
 * round trip).
 */
@Service
public class ConversationStore {

  private final TaskRepository tasks;
  private final StepRepository steps;
  private final MessageRepository messages;
  private final StepGraphRepository graph;
  private final IdGenerator ids;
  private final Clock clock;
  private final UserTurns turns;
  private final ConversationPages pages;
  private final StepEndings endings;

  ConversationStore(
      TaskRepository tasks,
      StepRepository steps,
      MessageRepository messages,
      StepGraphRepository graph,
      IdGenerator ids,
      Clock clock) {
    this.graph = graph;
    this.tasks = tasks;
    this.steps = steps;
    this.messages = messages;
    this.ids = ids;
    this.clock = clock;
    this.turns = new UserTurns(tasks, steps, messages, ids, this::now);
    this.pages = new ConversationPages(tasks);
    this.endings = new StepEndings(steps, ids, this::now);
  }

  @Transactional
  public Conversation create(UUID userId, String title) {
    return create(userId, title, ConversationSettings.NONE);
  }

  @Transactional
  public Conversation create(UUID userId, String title, ConversationSettings settings) {
    Instant now = now();
    Conversation task =
        new Conversation(
            ids.next(), userId, title, Conversation.TaskStatus.ACTIVE, now, now, settings);
    tasks.insert(task);
    return task;
  }

  @Transactional(readOnly = true)
  public Optional<Conversation> find(UUID userId, UUID id) {
    return tasks.find(userId, id);
  }

  @Transactional(readOnly = true)
  public ConversationDetail detail(UUID userId, UUID id) {
    Conversation task =
        tasks.find(userId, id).orElseThrow(() -> new ConversationNotFoundException(id));
    return new ConversationDetail(
        task, steps.forTask(id), messages.forTask(id), graph.activeStep(id));
  }

  /**
   * A page of the user's conversations, most recently active first.
   *
   * @param cursor the {@code nextCursor} of the previous page, or null for the first page
   * @throws IllegalArgumentException when the cursor was not made by this method
   */
  @Transactional(readOnly = true)
  public ConversationPage page(UUID userId, int limit, @Nullable String cursor) {
    return pages.page(userId, limit, cursor);
  }

  @Transactional
  public Conversation rename(UUID userId, UUID id, String title) {
    if (!tasks.rename(userId, id, title, now())) {
      throw new ConversationNotFoundException(id);
    }
    return tasks.find(userId, id).orElseThrow(() -> new ConversationNotFoundException(id));
  }

  /** Replaces a conversation's settings as a whole. */
  @Transactional
  public Conversation updateSettings(UUID userId, UUID id, ConversationSettings settings) {
    if (!tasks.updateSettings(userId, id, settings, now())) {
      throw new ConversationNotFoundException(id);
    }
    return tasks.find(userId, id).orElseThrow(() -> new ConversationNotFoundException(id));
  }

  /** A conversation's settings for a worker answering it; none when it is gone. */
  @Transactional(readOnly = true)
  public ConversationSettings settings(UUID conversationId) {
    return tasks.settings(conversationId);
  }

  /** Deletes a conversation with its steps and messages; usage rows stay, unlinked. */
  @Transactional
  public void delete(UUID userId, UUID id) {
    if (!tasks.delete(userId, id)) {
      throw new ConversationNotFoundException(id);
    }
  }

  /**
   * Records a user's message: a {@code user_input} step holding it, then a queued {@code llm} step
   * for the answer, chained after the step {@code parent} names (the active leaf for {@link
   * TurnParent#ACTIVE}; see {@link TurnParent}); the new answer becomes the conversation's active
   * step.
   *
   * @throws InvalidStepException when {@code parent} is not a finished answer of this conversation
   */
  @Transactional
  public Turn appendUserTurn(
      UUID userId,
      UUID conversationId,
      String content,
      List<String> images,
      int tokenCount,
      Map<String, Object> stepMetadata,
      @Nullable String clientMessageId,
      int maxTurns,
      TurnParent parent) {
    return turns.append(
        userId,
        conversationId,
        content,
        images,
        tokenCount,
        stepMetadata,
        clientMessageId,
        maxTurns,
        parent);
  }

  /** The newest {@code llm} step of a conversation: where a fresh subscription starts. */
  public Optional<UUID> latestAnswerStep(UUID conversationId) {
    return steps.latestOfType(conversationId, Step.StepType.LLM).map(Step::id);
  }

  /** A step of the user's conversation, or empty for unknown and foreign ids alike. */
  public Optional<StepRef> ownedStep(UUID userId, UUID conversationId, UUID stepId) {
    return steps.findOwned(userId, conversationId, stepId);
  }

  /**
   * Gives a worker the step: a queued one, or a running one whose worker has been silent for {@code
   * lease}. Empty when another worker has it or it is finished.
   */
  public Optional<ClaimedStep> claim(UUID stepId, String worker, Duration lease) {
    Instant now = now();
    return steps.claim(stepId, worker, now.minus(lease), now);
  }

  /** The owner's heartbeat; false when the step was taken over, finished or cancelled. */
  public boolean heartbeat(ClaimedStep step) {
    return steps.heartbeat(step.stepId(), step.worker(), step.attempt(), now());
  }

  /** Cancels a step no worker has started; false when it is not queued. */
  @Transactional
  public boolean cancelQueued(UUID stepId) {
    return steps.transition(stepId, Step.StepStatus.QUEUED, Step.StepStatus.CANCELLED, now());
  }

  /**
   * Ids of all the user's chat conversations (not the Responses API's chains: {@link
   * ResponseChains}).
   */
  @Transactional(readOnly = true)
  public List<UUID> allIds(UUID userId) {
    return tasks.allIds(userId);
  }

  /** Deletes all the user's conversations with their steps and messages. */
  @Transactional
  public int deleteAll(UUID userId) {
    return tasks.deleteAll(userId);
  }

  /** Ids of conversations (of any user) with no activity since {@code before}. */
  @Transactional(readOnly = true)
  public List<UUID> inactiveSince(Instant before) {
    return tasks.inactiveSince(before);
  }

  /** Deletes these conversations with their steps and messages. */
  @Transactional
  public int deleteByIds(List<UUID> ids) {
    return ids.isEmpty() ? 0 : tasks.deleteByIds(ids);
  }

  /** How many answer steps wait for a worker now. */
  @Transactional(readOnly = true)
  public long queuedSteps() {
    return steps.countQueued();
  }

  /** Unfinished answer steps untouched for {@code lease}: their job may have been lost. */
  @Transactional(readOnly = true)
  public List<StepRef> stale(Duration lease, int limit) {
    return steps.stale(now().minus(lease), limit);
  }

  /**
   * Stores how a claimed step ended, with its answer, if the claim still holds. The result says
   * whether it was stored and the answer message's id, or why not.
   */
  @Transactional
  public Finished finish(ClaimedStep claimed, StepResult result) {
    return endings.finish(claimed, result);
  }

  /** How storing a step's end went, and the id of its answer message if it has one. */
  public record Finished(Ending ending, @Nullable UUID messageId) {

    /** Whether the end was stored, and if not, why. */
    public enum Ending {
      STORED,
      /** A later attempt of the step took it over: its answer is the one kept, not this one. */
      SUPERSEDED,
      /** The step is gone (its conversation deleted while it ran) or no longer this attempt's. */
      NOT_STORED
    }

    public boolean stored() {
      return ending == Ending.STORED;
    }
  }

  /** Every message of a conversation, oldest first: the material for a model's context. */
  public List<Message> messages(UUID conversationId) {
    return messages.forTask(conversationId);
  }

  /**
   * The messages a step answers from, oldest first: those on its path up the step graph, so another
   * branch or another version of an answer never leaks into its context.
   */
  public List<Message> pathMessages(UUID stepId) {
    return messages.forPath(stepId, Integer.MAX_VALUE);
  }

  @Transactional(readOnly = true)
  public Optional<Step> step(UUID stepId) {
    return steps.find(stepId);
  }

  private Instant now() {
    // PostgreSQL keeps microseconds; truncating here keeps cursors and stored times equal.
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** A page cursor that this store did not make. */
  public static final class InvalidCursorException extends IllegalArgumentException {
    InvalidCursorException(String cursor) {
      super("the cursor '" + cursor + "' is not one this server issued");
    }
  }
}
