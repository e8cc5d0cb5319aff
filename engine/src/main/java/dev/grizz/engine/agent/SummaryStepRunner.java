package dev.grizz.engine.agent;

import dev.grizz.engine.conversation.ClaimedStep;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.conversation.StepResult;
import dev.grizz.engine.conversation.Summaries;
import dev.grizz.engine.llm.Attempt;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.RequestOptions;
import dev.grizz.engine.llm.TokenCounter;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.memory.MemorySettings;
import dev.grizz.engine.usage.BudgetExceededException;
import dev.grizz.engine.usage.Budgets;
import dev.grizz.engine.usage.UsageLedger;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a {@code summary} step: condenses the summary before it (if any) and the turns after it, up
 * to the step it covers, with the summarising model; stores the summary as the step's message and
 * bills it on its own usage rows, within the user's budgets. A summary that fails is stored as
 * failed: the conversation goes on with truncation and the next turn's end queues another.
 */
@Component
class SummaryStepRunner implements StepRunner {

  private static final Logger log = LoggerFactory.getLogger(SummaryStepRunner.class);

  private final Summaries summaries;
  private final ConversationStore store;
  private final LlmRouter router;
  private final Budgets budgets;
  private final UsageLedger ledger;
  private final TokenCounter tokens;
  private final MemorySettings settings;
  private final TransactionTemplate transaction;

  SummaryStepRunner(
      Summaries summaries,
      ConversationStore store,
      LlmRouter router,
      Budgets budgets,
      UsageLedger ledger,
      TokenCounter tokens,
      MemorySettings settings,
      TransactionTemplate transaction) {
    this.summaries = summaries;
    this.store = store;
    this.router = router;
    this.budgets = budgets;
    this.ledger = ledger;
    this.tokens = tokens;
    this.settings = settings;
    this.transaction = transaction;
  }

  @Override
  public Step.StepType type() {
    return Step.StepType.SUMMARY;
  }

  @Override
  public void run(ClaimedStep step, CancelSignal cancel) {
    UUID covered = summaries.parentOf(step.stepId()).orElse(null);
    if (covered == null) {
      return; // its conversation went while it waited
    }
    Summaries.PathContext path = summaries.context(covered);
    LlmRequest request =
        new LlmRequest(
            step.model().isBlank() ? settings.summaryModel() : step.model(),
            List.of(
                new ChatMessage(Role.SYSTEM, Summarizer.INSTRUCTIONS),
                new ChatMessage(Role.USER, Summarizer.material(path.summary(), path.messages()))),
            List.of(),
            ToolChoice.AUTO,
            RequestOptions.builder().maxOutputTokens(settings.summaryMaxTokens()).build());
    int promptTokens = tokens.count(request);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("covered_step_id", covered.toString());
    metadata.put("summarised_messages", path.messages().size());
    metadata.put("attempt", step.attempt());
    try {
      budgets.check(step.userId(), step.apiKeyId(), promptTokens);
    } catch (BudgetExceededException e) {
      metadata.put("error", Map.of("code", "budget_exceeded", "message", e.getMessage()));
      store.finish(step, failed(metadata));
      return;
    }
    Completion completion =
        router.complete(request, promptTokens, DeltaSink.textOnly(t -> {}), cancel);
    String text = completion.text().strip();
    boolean done = completion.outcome() instanceof LlmOutcome.Completed && !text.isEmpty();
    metadata.put("model", completion.model());
    metadata.put("total_ms", completion.total().toMillis());
    if (completion.outcome() instanceof LlmOutcome.Failed failed) {
      metadata.put("error", Map.of("code", failed.code(), "message", failed.message()));
      log.warn("summary {} failed: {} {}", step.stepId(), failed.code(), failed.message());
    }
    StepResult result =
        new StepResult(
            done ? Step.StepStatus.COMPLETED : Step.StepStatus.FAILED,
            completion.provider(),
            completion.usage().promptTokens(),
            completion.usage().completionTokens(),
            completion.usageCents(),
            null,
            metadata,
            done ? text : null,
            done ? tokens.count(text) : null,
            null);
    transaction.executeWithoutResult(
        tx -> {
          ConversationStore.Finished stored = store.finish(step, result);
          boolean superseded = stored.ending() == ConversationStore.Finished.Ending.SUPERSEDED;
          boolean exists = stored.stored() || superseded || store.step(step.stepId()).isPresent();
          for (Attempt attempt : completion.attempts()) {
            ledger.record(
                AttemptUsage.of(
                    exists ? step.stepId() : null,
                    step.userId(),
                    step.apiKeyId(),
                    attempt,
                    superseded));
          }
        });
  }

  private static StepResult failed(Map<String, Object> metadata) {
    return new StepResult(
        Step.StepStatus.FAILED, "", null, null, BigDecimal.ZERO, null, metadata, null, null, null);
  }
}
