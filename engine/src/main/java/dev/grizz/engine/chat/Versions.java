package dev.grizz.engine.chat;

import dev.grizz.engine.agent.Answering;
import dev.grizz.engine.agent.ChatSettings;
import dev.grizz.engine.agent.SettingsRules;
import dev.grizz.engine.conversation.Branches;
import dev.grizz.engine.conversation.ConversationSettings;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.event.Job;
import dev.grizz.engine.event.JobQueue;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.telemetry.Tracing;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Another version of an answer: the same question answered again from the same path, as a new
 * {@code llm} step beside the old one (the question is not posted again). A model call like any
 * answer: the content policy and the budgets admit it first.
 */
@Service
public class Versions {

  private final Branches branches;
  private final ConversationStore store;
  private final Answering answering;
  private final LlmRouter router;
  private final SettingsRules rules;
  private final ChatSettings settings;
  private final JobQueue jobs;

  Versions(
      Branches branches,
      ConversationStore store,
      Answering answering,
      LlmRouter router,
      SettingsRules rules,
      ChatSettings settings,
      JobQueue jobs) {
    this.branches = branches;
    this.store = store;
    this.answering = answering;
    this.router = router;
    this.rules = rules;
    this.settings = settings;
    this.jobs = jobs;
  }

  /** The new version: its step, the question it answers, and the answer it stands beside. */
  public record Regenerated(UUID conversationId, UUID userStepId, UUID stepId, UUID versionOf) {}

  /**
   * Queues a new version of the answer step {@code stepId}, which becomes the conversation's active
   * step. With {@code model} null, the model of the answer it stands beside.
   *
   * @throws dev.grizz.engine.conversation.ConversationNotFoundException for unknown or foreign ids
   * @throws dev.grizz.engine.conversation.InvalidStepException when the step is not an answer
   * @throws dev.grizz.engine.conversation.StepBusyException while its turn is being answered
   * @throws dev.grizz.engine.usage.BudgetExceededException when a budget is spent
   * @throws dev.grizz.engine.llm.UnknownModelException when no provider serves the model
   */
  public Regenerated regenerate(
      UUID userId,
      @Nullable UUID apiKeyId,
      UUID conversationId,
      UUID stepId,
      @Nullable String model) {
    Branches.Question question = branches.question(userId, conversationId, stepId);
    ConversationSettings conversation = store.settings(conversationId);
    String chosen =
        model != null && !model.isBlank()
            ? model
            : !question.model().isBlank()
                ? question.model()
                : conversation.model() != null ? conversation.model() : settings.defaultModel();
    String resolved = router.resolveModel(chosen);
    rules.requireHonoured(resolved, conversation, !question.images().isEmpty());
    answering.admit(userId, apiKeyId, question.content(), question.tokens());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("model", resolved);
    if (apiKeyId != null) {
      metadata.put("api_key_id", apiKeyId.toString());
    }
    metadata.put("version_of", stepId.toString());
    UUID id = branches.regenerate(userId, conversationId, question, metadata);
    jobs.runHereOrEnqueue(new Job(id, conversationId, Tracing.currentTraceparent()));
    return new Regenerated(conversationId, question.inputStepId(), id, stepId);
  }
}
