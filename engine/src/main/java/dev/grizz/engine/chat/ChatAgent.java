package dev.grizz.engine.chat;

import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.conversation.StepResult;
import dev.grizz.engine.conversation.Turn;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.usage.UsageLedger;
import dev.grizz.engine.usage.UsageRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Answers one queued {@code llm} step: builds the context within the token budget, streams the
 * completion, then stores the answer, the step's accounting and the usage row in one transaction.
 */
@Component
class ChatAgent {

  private static final Logger log = LoggerFactory.getLogger(ChatAgent.class);

  private final ConversationStore store;
  private final ContextBuilder contextBuilder;
  private final PromptStore prompts;
  private final LlmRouter router;
  private final UsageLedger ledger;
  private final ChatSettings settings;
  private final TransactionTemplate transaction;

  ChatAgent(
      ConversationStore store,
      ContextBuilder contextBuilder,
      PromptStore prompts,
      LlmRouter router,
      UsageLedger ledger,
      ChatSettings settings,
      TransactionTemplate transaction) {
    this.store = store;
    this.contextBuilder = contextBuilder;
    this.prompts = prompts;
    this.router = router;
    this.ledger = ledger;
    this.settings = settings;
    this.transaction = transaction;
  }

  /** Runs the step to its end; returns its final status (unchanged if it was not queued). */
  Step.StepStatus answer(Turn turn, DeltaSink sink, CancelSignal cancel) {
    if (!store.start(turn.stepId())) {
      return store.step(turn.stepId()).map(Step::status).orElse(Step.StepStatus.FAILED);
    }
    Step step = store.step(turn.stepId()).orElseThrow();
    String model = String.valueOf(step.metadata().get("model"));
    String promptHash = prompts.register(settings.systemPrompt());
    ContextBuilder.Context context =
        contextBuilder.build(
            settings.systemPrompt(),
            store.messages(turn.conversationId()),
            settings.contextTokens());
    Completion completion =
        router.complete(new LlmRequest(model, context.messages()), sink, cancel);
    StepResult result = result(completion, promptHash, context);
    transaction.executeWithoutResult(
        tx -> {
          store.finish(turn.stepId(), result);
          ledger.record(usage(turn, completion));
        });
    if (completion.outcome() instanceof LlmOutcome.Failed failed) {
      log.warn(
          "step {} failed on {}/{}: {} {}",
          turn.stepId(),
          completion.provider(),
          completion.model(),
          failed.code(),
          failed.message());
    }
    return result.status();
  }

  private static StepResult result(
      Completion completion, String promptHash, ContextBuilder.Context context) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("model", completion.model());
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
            metadata.put("finish_reason", done.finishReason());
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
        text.isEmpty() ? null : completion.usage().completionTokens());
  }

  private static UsageRecord usage(Turn turn, Completion completion) {
    UsageRecord.Outcome outcome =
        switch (completion.outcome()) {
          case LlmOutcome.Completed done -> UsageRecord.Outcome.COMPLETED;
          case LlmOutcome.Cancelled cancelled -> UsageRecord.Outcome.CANCELLED;
          case LlmOutcome.Failed failed -> UsageRecord.Outcome.FAILED;
        };
    String errorCode =
        completion.outcome() instanceof LlmOutcome.Failed failed ? failed.code() : null;
    return new UsageRecord(
        turn.stepId(),
        turn.userId(),
        completion.provider(),
        completion.model(),
        completion.usage().promptTokens(),
        completion.usage().completionTokens(),
        completion.usageCents(),
        completion.usage().estimated(),
        completion.timeToFirstToken() == null ? null : completion.timeToFirstToken().toMillis(),
        completion.total().toMillis(),
        outcome,
        errorCode);
  }
}
