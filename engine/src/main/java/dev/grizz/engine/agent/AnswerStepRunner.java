package dev.grizz.engine.agent;

import dev.grizz.engine.conversation.ClaimedStep;
import dev.grizz.engine.conversation.ConversationSettings;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.conversation.StepResult;
import dev.grizz.engine.conversation.Summaries;
import dev.grizz.engine.conversation.ToolSteps;
import dev.grizz.engine.llm.Attempt;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.RequestOptions;
import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.ToolSpec;
import dev.grizz.engine.moderation.ModerationVerdict;
import dev.grizz.engine.usage.UsageLedger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Answers one queued {@code llm} step: builds the context within the token budget, streams the
 * completion, then stores the answer, the step's accounting and the usage row in one transaction.
 */
@Component
class AnswerStepRunner {

  private static final Logger log = LoggerFactory.getLogger(AnswerStepRunner.class);

  private final ConversationStore store;
  private final ContextBuilder contextBuilder;
  private final PromptStore prompts;
  private final UsageLedger ledger;
  private final ChatSettings settings;
  private final TransactionTemplate transaction;
  private final Answering answering;
  private final SettingsRules rules;
  private final ToolPlanner tools;
  private final ToolSteps toolSteps;
  private final Summaries summaries;
  private final AnswerPrompts answerPrompts;

  AnswerStepRunner(
      ConversationStore store,
      ContextBuilder contextBuilder,
      PromptStore prompts,
      UsageLedger ledger,
      ChatSettings settings,
      TransactionTemplate transaction,
      Answering answering,
      SettingsRules rules,
      ToolPlanner tools,
      ToolSteps toolSteps,
      Summaries summaries,
      AnswerPrompts answerPrompts) {
    this.summaries = summaries;
    this.answerPrompts = answerPrompts;
    this.tools = tools;
    this.toolSteps = toolSteps;
    this.answering = answering;
    this.rules = rules;
    this.store = store;
    this.contextBuilder = contextBuilder;
    this.prompts = prompts;
    this.ledger = ledger;
    this.settings = settings;
    this.transaction = transaction;
  }

  /**
   * What answering a step produced, whether its end was stored (the claim still held), and the tool
   * steps its calls became (the turn goes on with them).
   */
  record Answer(
      Step.StepStatus status,
      Completion completion,
      ConversationStore.Finished finished,
      @Nullable ModerationVerdict moderation,
      List<ToolSteps.NewToolStep> toolSteps,
      List<dev.grizz.engine.event.EventData.MemoryUsed> memoriesUsed) {}

  /** Runs a claimed step to its end: context, completion, then the stored answer and usage. */
  Answer answer(ClaimedStep claimed, DeltaSink sink, CancelSignal cancel) {
    ConversationSettings own = store.settings(claimed.conversationId());
    int round = ToolSteps.roundOf(claimed.metadata());
    List<ToolSpec> offered = tools.offered(claimed.userId(), own, round);
    Summaries.PathContext path = summaries.context(claimed.stepId());
    AnswerPrompts.Prompt prompt = answerPrompts.compose(claimed, own, offered, round, path);
    String systemPrompt = prompt.text();
    String promptHash = prompts.register(prompt.template());
    ContextBuilder.Context context =
        contextBuilder.build(systemPrompt, path.messages(), settings.contextTokens());
    RequestOptions options = rules.options(own);
    // The whole answer is checked once it is complete; a block is reported to the client, which
    // hides the text, and the stored step says why.
    Answering.Answer answer =
        answering.run(
            claimed.userId(),
            claimed.stepId(),
            tools.fitted(
                new LlmRequest(
                    claimed.model(), context.messages(), offered, ToolChoice.AUTO, options)),
            context.tokens(),
            sink,
            cancel);
    Completion completion = answer.completion();
    ModerationVerdict verdict = answer.verdict();
    List<ToolCall> calls =
        completion.outcome() instanceof LlmOutcome.Completed && !answer.blocked()
            ? completion.toolCalls()
            : List.of();
    StepResult plain =
        result(completion, promptHash, context, claimed.attempt(), verdict, options, calls);
    StepResult result = plain.withMetadata(prompt.metadata());
    List<ToolSteps.NewToolStep> opened = new java.util.ArrayList<>();
    ConversationStore.Finished finished =
        whileDatabaseIsDown(
            () ->
                transaction.execute(
                    tx -> {
                      ConversationStore.Finished stored = store.finish(claimed, result);
                      // A conversation deleted while its answer ran keeps its bill, unlinked. An
                      // attempt
                      // that lost its step to a later one is the engine's retry: the user pays for
                      // the
                      // answer that is kept, not for this one (its cost stays visible to
                      // operators).
                      boolean superseded =
                          stored.ending() == ConversationStore.Finished.Ending.SUPERSEDED;
                      boolean stepExists =
                          stored.stored() || superseded || store.step(claimed.stepId()).isPresent();
                      for (Attempt attempt : completion.attempts()) {
                        ledger.record(
                            AttemptUsage.of(
                                stepExists ? claimed.stepId() : null,
                                claimed.userId(),
                                claimed.apiKeyId(),
                                attempt,
                                superseded));
                      }
                      if (stored.stored() && !calls.isEmpty()) {
                        opened.addAll(
                            toolSteps.open(claimed, round, tools.plan(claimed.userId(), calls)));
                      }
                      return stored;
                    }));
    if (completion.outcome() instanceof LlmOutcome.Failed failed) {
      log.warn(
          "step {} failed on {}/{}: {} {}",
          claimed.stepId(),
          completion.provider(),
          completion.model(),
          failed.code(),
          failed.message());
    }
    return new Answer(
        result.status(),
        completion,
        finished,
        verdict,
        List.copyOf(opened),
        AnswerPrompts.memoriesUsed(prompt.metadata()));
  }

  /**
   * How long a finished attempt keeps trying to store its result and bill while PostgreSQL cannot
   * be reached. The answer was paid for upstream: giving up after one connection wait lost the
   * usage row of an attempt that had been taken over (its cost then reached no operator), and a
   * result that still holds its step would be generated again by another pod.
   */
  static final java.time.Duration FINISH_RETRY_FOR = java.time.Duration.ofMinutes(2);

  private static <T> T whileDatabaseIsDown(java.util.function.Supplier<T> write) {
    long deadline = System.nanoTime() + FINISH_RETRY_FOR.toNanos();
    long pauseMillis = 500;
    while (true) {
      try {
        return write.get();
      } catch (org.springframework.dao.DataAccessResourceFailureException
          | org.springframework.dao.TransientDataAccessException
          | org.springframework.transaction.CannotCreateTransactionException e) {
        if (System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
          throw e;
        }
        log.info("storing a finished answer waits for the database: {}", e.getMessage());
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pauseMillis = Math.min(pauseMillis * 2, 5_000);
      }
    }
  }

  private static StepResult result(
      Completion completion,
      String promptHash,
      ContextBuilder.Context context,
      int attempt,
      @Nullable ModerationVerdict verdict,
      RequestOptions options,
      List<ToolCall> calls) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("model", completion.model());
    if (options.temperature() != null) {
      metadata.put("temperature", options.temperature());
    }
    if (options.maxOutputTokens() != null) {
      metadata.put("max_output_tokens", options.maxOutputTokens());
    }
    if (verdict != null && verdict.action() != ModerationVerdict.Action.ALLOW) {
      metadata.put(
          "moderation",
          Map.of("action", verdict.action().wire(), "categories", verdict.categories()));
    }
    if (completion.attempts().size() > 1) {
      metadata.put(
          "fallbacks",
          completion.attempts().subList(0, completion.attempts().size() - 1).stream()
              .map(
                  failed ->
                      Map.of(
                          "provider", failed.provider(),
                          "model", failed.model(),
                          "error",
                              failed.outcome() instanceof LlmOutcome.Failed f
                                  ? f.code()
                                  : "unknown"))
              .toList());
    }
    metadata.put("attempt", attempt);
    metadata.put("context_tokens", context.tokens());
    metadata.put("context_messages_dropped", context.dropped());
    metadata.put("usage_estimated", completion.usage().estimated());
    metadata.put("total_ms", completion.total().toMillis());
    if (completion.timeToFirstToken() != null) {
      metadata.put("time_to_first_token_ms", completion.timeToFirstToken().toMillis());
    }
    Step.StepStatus status =
        switch (completion.outcome()) {
          case LlmOutcome.Completed done -> {
            metadata.put("finish_reason", done.reason().openAi());
            yield Step.StepStatus.COMPLETED;
          }
          case LlmOutcome.Cancelled cancelled -> Step.StepStatus.CANCELLED;
          case LlmOutcome.Failed failed -> {
            metadata.put("error", Map.of("code", failed.code(), "message", failed.message()));
            yield Step.StepStatus.FAILED;
          }
        };
    String text = completion.text();
    return new StepResult(
        status,
        completion.provider(),
        completion.usage().promptTokens(),
        completion.usage().completionTokens(),
        completion.usageCents(),
        promptHash,
        metadata,
        text.isEmpty() ? null : text,
        text.isEmpty() ? null : completion.usage().completionTokens(),
        completion.reasoning().isEmpty() ? null : completion.reasoning(),
        ToolPlanner.stored(calls),
        ContextBuilder.stored(completion.thinking()));
  }
}
