package dev.grizz.engine.chat;

import dev.grizz.engine.agent.Answering;
import dev.grizz.engine.agent.ChatSettings;
import dev.grizz.engine.agent.MessageRejectedException;
import dev.grizz.engine.agent.SettingsRules;
import dev.grizz.engine.agent.ToolTurns;
import dev.grizz.engine.conversation.Conversation;
import dev.grizz.engine.conversation.ConversationNotFoundException;
import dev.grizz.engine.conversation.ConversationSettings;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.conversation.StepRef;
import dev.grizz.engine.conversation.TurnParent;
import dev.grizz.engine.event.EventId;
import dev.grizz.engine.event.EventLog;
import dev.grizz.engine.event.JobQueue;
import dev.grizz.engine.event.Subscription;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.TokenCounter;
import dev.grizz.engine.telemetry.Tracing;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Accepts a user's message: checks it ({@link MessageChecks}), records it with a queued answer step
 * and has the answer generated ({@link TurnRecorder}).
 */
@Service
public class ChatService {

  static final int TITLE_LENGTH = 60;
  static final String UNTITLED = "New conversation";

  private final ConversationStore store;
  private final EventLog events;
  private final SettingsRules rules;
  private final ToolTurns toolTurns;
  private final MessageChecks checks;
  private final TurnRecorder turns;

  ChatService(
      ConversationStore store,
      JobQueue jobs,
      EventLog events,
      LlmRouter router,
      TokenCounter tokens,
      ChatSettings settings,
      Answering answering,
      Tracing tracing,
      SettingsRules rules,
      ToolTurns toolTurns) {
    this.toolTurns = toolTurns;
    this.rules = rules;
    this.store = store;
    this.events = events;
    this.checks = new MessageChecks(router, tokens, settings, rules, answering);
    this.turns = new TurnRecorder(store, jobs, tracing, settings);
  }

  /**
   * Starts a conversation, optionally with a first message. The message is checked before anything
   * is written, so a rejected one leaves no empty conversation behind.
   */
  public Started start(
      UUID userId,
      @Nullable UUID apiKeyId,
      @Nullable String title,
      @Nullable String firstMessage,
      @Nullable String model) {
    return start(
        userId, apiKeyId, title, firstMessage, List.of(), model, ConversationSettings.NONE);
  }

  /**
   * As above, with the conversation's own settings (checked first).
   *
   * @throws dev.grizz.engine.llm.InvalidRequestException for a setting out of range
   * @throws dev.grizz.engine.llm.UnsupportedFeatureException for settings the model cannot honour
   */
  public Started start(
      UUID userId,
      @Nullable UUID apiKeyId,
      @Nullable String title,
      @Nullable String firstMessage,
      List<String> firstImages,
      @Nullable String model,
      ConversationSettings conversationSettings) {
    ConversationSettings checkedSettings = rules.checked(conversationSettings);
    MessageChecks.CheckedMessage checked =
        firstMessage == null
            ? null
            : checks.admitted(
                userId,
                apiKeyId,
                checks.check(
                    firstMessage, PostedImages.checked(firstImages), model, null, checkedSettings));
    String chosenTitle =
        title != null && !title.isBlank()
            ? title.strip()
            : firstMessage != null ? titleFrom(firstMessage) : UNTITLED;
    Conversation conversation = store.create(userId, chosenTitle, checkedSettings);
    PostedMessage first =
        checked == null
            ? null
            : turns.record(userId, apiKeyId, conversation.id(), checked, TurnParent.ACTIVE);
    return new Started(conversation, first);
  }

  /** A new conversation, and its first message when one was given. */
  public record Started(Conversation conversation, @Nullable PostedMessage first) {}

  /**
   * Records a user's message and queues its answer; returns once the job is queued. Posting again
   * with the same {@code clientMessageId} returns the first post's turn and queues nothing. A
   * request made with an API key is billed to that key as well ({@code apiKeyId}, else null).
   *
   * @throws MessageRejectedException when the content is empty or too large
   * @throws dev.grizz.engine.llm.UnknownModelException when no provider serves {@code model}
   * @throws dev.grizz.engine.conversation.ConversationNotFoundException for an unknown or foreign
   *     conversation
   */
  public PostedMessage post(
      UUID userId,
      @Nullable UUID apiKeyId,
      UUID conversationId,
      String content,
      @Nullable String model,
      @Nullable String clientMessageId) {
    return post(userId, apiKeyId, conversationId, content, List.of(), model, clientMessageId);
  }

  /**
   * As above, with images (see {@link PostedImages}).
   *
   * @throws dev.grizz.engine.llm.InvalidRequestException naming {@code images}
   * @throws dev.grizz.engine.llm.UnsupportedFeatureException when the model takes no images
   */
  public PostedMessage post(
      UUID userId,
      @Nullable UUID apiKeyId,
      UUID conversationId,
      String content,
      List<String> images,
      @Nullable String model,
      @Nullable String clientMessageId) {
    return post(
        userId,
        apiKeyId,
        conversationId,
        content,
        images,
        model,
        clientMessageId,
        TurnParent.ACTIVE);
  }

  /**
   * As above, after the step {@code parent} names: a finished answer of the conversation (editing
   * the message that followed it makes a branch beside that message) or the root.
   *
   * @throws dev.grizz.engine.conversation.InvalidStepException naming {@code parent_step_id}
   */
  public PostedMessage post(
      UUID userId,
      @Nullable UUID apiKeyId,
      UUID conversationId,
      String content,
      List<String> images,
      @Nullable String model,
      @Nullable String clientMessageId,
      TurnParent parent) {
    return turns.record(
        userId,
        apiKeyId,
        conversationId,
        checks.admitted(
            userId,
            apiKeyId,
            checks.check(
                content,
                PostedImages.checked(images),
                model,
                clientMessageId,
                store.settings(conversationId))),
        parent);
  }

  /**
   * Replaces a conversation's settings, checked as at its start.
   *
   * @throws dev.grizz.engine.conversation.ConversationNotFoundException for an unknown or foreign
   *     conversation
   */
  public Conversation updateSettings(
      UUID userId, UUID conversationId, ConversationSettings conversationSettings) {
    return store.updateSettings(userId, conversationId, rules.checked(conversationSettings));
  }

  /**
   * Stops an answer step: a queued one at once, a running one on whichever pod runs it (it then
   * stores the partial answer as cancelled and bills the tokens used), and with it the rest of its
   * turn (tool calls not yet run end cancelled; running ones are stopped).
   *
   * @return the step's status as known now
   * @throws ConversationNotFoundException for unknown or foreign ids
   */
  public Step.StepStatus cancel(UUID userId, UUID conversationId, UUID stepId) {
    StepRef step =
        store
            .ownedStep(userId, conversationId, stepId)
            .orElseThrow(() -> new ConversationNotFoundException(conversationId));
    return toolTurns.cancel(conversationId, step);
  }

  /**
   * Opens a subscription to the conversation's events after {@code cursor}; without one, from the
   * first event of its latest answer step, so a client that subscribes right after posting misses
   * nothing.
   *
   * @throws ConversationNotFoundException for unknown or foreign conversations
   * @throws EventId.InvalidCursorException for a cursor no log issued
   */
  public Subscription subscribe(UUID userId, UUID conversationId, @Nullable String cursor) {
    store
        .find(userId, conversationId)
        .orElseThrow(() -> new ConversationNotFoundException(conversationId));
    EventId after = EventId.parseNullable(cursor);
    UUID fromStep = after == null ? store.latestAnswerStep(conversationId).orElse(null) : null;
    return events.subscribe(conversationId, after, fromStep);
  }

  /**
   * The position of the conversation's newest event: taken before posting, it is where a stream of
   * the answer starts, so the stream reads none of the conversation's history.
   */
  public EventId position(UUID conversationId) {
    return events.last(conversationId);
  }

  /** What is appended to the conversation after {@code position} (see {@link #position}). */
  public Subscription subscribeAfter(UUID conversationId, EventId position) {
    return events.subscribe(conversationId, position, null);
  }

  /** A subscription to one step's events from its first, for a client that posted it. */
  public Subscription subscribeToStep(UUID conversationId, UUID stepId) {
    return events.subscribe(conversationId, null, stepId);
  }

  static String titleFrom(String message) {
    String line = message.strip().lines().findFirst().orElse("").strip();
    if (line.length() <= TITLE_LENGTH) {
      return line.isEmpty() ? UNTITLED : line;
    }
    int cut = line.lastIndexOf(' ', TITLE_LENGTH);
    return line.substring(0, cut > TITLE_LENGTH / 2 ? cut : TITLE_LENGTH).strip() + "…";
  }
}
