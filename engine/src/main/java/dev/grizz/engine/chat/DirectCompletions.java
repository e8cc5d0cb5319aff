package dev.grizz.engine.chat;

import dev.grizz.engine.llm.Attempt;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.TokenCounter;
import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.moderation.ModerationBlockedException;
import dev.grizz.engine.moderation.ModerationService;
import dev.grizz.engine.moderation.ModerationVerdict;
import dev.grizz.engine.usage.Budgets;
import dev.grizz.engine.usage.UsageLedger;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Completions that are not part of a stored conversation (the OpenAI-compatible API's default): the
 * same router, fallback and usage rows as a conversation's answers, without steps or messages.
 */
@Service
public class DirectCompletions {

  private final LlmRouter router;
  private final UsageLedger ledger;
  private final Budgets budgets;
  private final ModerationService moderation;
  private final TokenCounter tokens;
  private final ChatSettings settings;

  DirectCompletions(
      LlmRouter router,
      UsageLedger ledger,
      Budgets budgets,
      TokenCounter tokens,
      ModerationService moderation,
      ChatSettings settings) {
    this.settings = settings;
    this.moderation = moderation;
    this.router = router;
    this.ledger = ledger;
    this.budgets = budgets;
    this.tokens = tokens;
  }

  /**
   * Streams a completion for the caller and bills every attempt.
   *
   * @throws dev.grizz.engine.llm.UnknownModelException when no provider serves the model
   * @throws MessageRejectedException {@code content_too_large} for a message over the chat API's
   *     limit ({@code grizz.chat.max-content-bytes}): one limit, however a message arrives
   */
  public Completion complete(
      UUID userId,
      @Nullable UUID apiKeyId,
      LlmRequest request,
      DeltaSink sink,
      CancelSignal cancel) {
    for (LlmRequest.ChatMessage message : request.messages()) {
      int bytes = message.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes > settings.maxContentBytes()) {
        throw new MessageRejectedException(
            "content_too_large",
            "A message is "
                + bytes
                + " bytes; the limit is "
                + settings.maxContentBytes()
                + " bytes.");
      }
    }
    // The whole request goes on: tools, options and content parts, not only the messages.
    LlmRequest routed = request.withModel(router.resolveModel(request.model()));
    // What the caller sends in: its users' words and its tools' results alike.
    String userText =
        request.messages().stream()
            .filter(m -> m.role() == LlmRequest.Role.USER || m.role() == LlmRequest.Role.TOOL)
            .map(LlmRequest.ChatMessage::text)
            .collect(java.util.stream.Collectors.joining("\n"));
    ModerationVerdict verdict = moderation.checkInput(userId, userText);
    if (verdict.blocked()) {
      throw new ModerationBlockedException(verdict);
    }
    budgets.check(userId, apiKeyId, tokens.count(request));
    Completion completion = router.complete(routed, sink, cancel);
    for (Attempt attempt : completion.attempts()) {
      ledger.record(AttemptUsage.of(null, userId, apiKeyId, attempt));
    }
    return moderated(userId, completion);
  }

  /**
   * The answer as the content policy lets it out, checked whole once it is complete, as a chat
   * step's is: a blocked one is withheld and ends as filtered content, which each API renders in
   * its own terms (OpenAI's {@code content_filter}, Anthropic's {@code refusal}). A streaming
   * caller has already been sent the text; it gets the filtered ending.
   */
  private Completion moderated(UUID userId, Completion completion) {
    StringBuilder said = new StringBuilder(completion.text());
    for (ToolCall call : completion.toolCalls()) {
      said.append('\n').append(call.arguments());
    }
    if (said.toString().isBlank()) {
      return completion;
    }
    ModerationVerdict verdict = moderation.checkOutput(userId, null, said.toString());
    return verdict.blocked()
        ? completion.withheld(
            "the engine's content policy withheld the answer ("
                + String.join(", ", verdict.categories())
                + ")")
        : completion;
  }
}
