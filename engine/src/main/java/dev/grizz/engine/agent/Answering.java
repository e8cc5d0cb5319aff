package dev.grizz.engine.agent;

import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.moderation.ModerationBlockedException;
import dev.grizz.engine.moderation.ModerationService;
import dev.grizz.engine.moderation.ModerationVerdict;
import dev.grizz.engine.usage.Budgets;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The steps every answer takes, chat step or {@code /v1} request alike: what comes in is checked
 * against the content policy and the caller's budgets before any model is called; the router makes
 * the answer (fallback, first-token timeout, exact price per attempt); the whole answer is checked
 * against the content policy once it is complete.
 */
@Service
public class Answering {

  private final LlmRouter router;
  private final ModerationService moderation;
  private final Budgets budgets;

  Answering(LlmRouter router, ModerationService moderation, Budgets budgets) {
    this.router = router;
    this.moderation = moderation;
    this.budgets = budgets;
  }

  /**
   * Lets a request in, or refuses it before anything is stored or any model called.
   *
   * @param input what the caller sends in: its user's words (and its tools' results)
   * @param promptTokens the request's size, counted against the user's and the key's budgets
   * @throws ModerationBlockedException when the content policy blocks the input
   * @throws dev.grizz.engine.usage.BudgetExceededException when a budget is spent
   */
  public void admit(UUID userId, @Nullable UUID apiKeyId, String input, int promptTokens) {
    ModerationVerdict verdict = moderation.checkInput(userId, input);
    if (verdict.blocked()) {
      throw new ModerationBlockedException(verdict);
    }
    budgets.check(userId, apiKeyId, promptTokens);
  }

  /**
   * Makes the answer, streaming its pieces to {@code sink}, then checks it whole.
   *
   * @param stepId the chat step it answers, for the policy log; null for a {@code /v1} request
   */
  public Answer run(
      UUID userId,
      @Nullable UUID stepId,
      LlmRequest request,
      int promptTokens,
      DeltaSink sink,
      CancelSignal cancel) {
    Completion completion = router.complete(request, promptTokens, sink, cancel);
    StringBuilder said = new StringBuilder(completion.text());
    for (ToolCall call : completion.toolCalls()) {
      said.append('\n').append(call.arguments());
    }
    ModerationVerdict verdict =
        said.toString().isBlank() ? null : moderation.checkOutput(userId, stepId, said.toString());
    return new Answer(completion, verdict);
  }

  /**
   * An answer and what the content policy said of it (null when there was nothing to check). A
   * blocked answer streamed already: the chat client hides it on the step's {@code
   * moderation.blocked} event; a {@code /v1} caller gets it {@link #withheld()}.
   */
  public record Answer(Completion completion, @Nullable ModerationVerdict verdict) {

    public boolean blocked() {
      return verdict != null && verdict.blocked();
    }

    /** The completion, withheld when the policy blocked it (see {@link Completion#withheld}). */
    public Completion withheld() {
      if (!blocked()) {
        return completion;
      }
      return completion.withheld(
          "the engine's content policy withheld the answer ("
              + String.join(", ", java.util.Objects.requireNonNull(verdict).categories())
              + ")");
    }
  }
}
