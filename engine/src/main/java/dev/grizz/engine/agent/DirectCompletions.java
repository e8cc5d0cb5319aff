package dev.grizz.engine.agent;

import dev.grizz.engine.llm.Attempt;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.TokenCounter;
import dev.grizz.engine.usage.UsageLedger;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Completions that are not part of a stored conversation ({@code /v1}: chat completions, messages,
 * responses): the same {@link Answering} as a conversation's answers (content policy in and out,
 * budgets, router, fallback) and the same usage rows, with the answer going straight back to the
 * caller instead of to a step's event log.
 */
@Service
public class DirectCompletions {

  private final LlmRouter router;
  private final UsageLedger ledger;
  private final TokenCounter tokens;
  private final ChatSettings settings;
  private final Answering answering;

  DirectCompletions(
      LlmRouter router,
      UsageLedger ledger,
      TokenCounter tokens,
      ChatSettings settings,
      Answering answering) {
    this.settings = settings;
    this.router = router;
    this.ledger = ledger;
    this.tokens = tokens;
    this.answering = answering;
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
    String input =
        request.messages().stream()
            .filter(m -> m.role() == LlmRequest.Role.USER || m.role() == LlmRequest.Role.TOOL)
            .map(LlmRequest.ChatMessage::text)
            .collect(java.util.stream.Collectors.joining("\n"));
    int promptTokens = tokens.count(request);
    answering.admit(userId, apiKeyId, input, promptTokens);
    Answering.Answer answer = answering.run(userId, null, routed, promptTokens, sink, cancel);
    for (Attempt attempt : answer.completion().attempts()) {
      ledger.record(AttemptUsage.of(null, userId, apiKeyId, attempt));
    }
    // Checked whole once complete, as a chat step's answer is: a blocked one is withheld and ends
    // as filtered content, which each API renders in its own terms (OpenAI's content_filter,
    // Anthropic's refusal). A streaming caller has already been sent the text.
    return answer.withheld();
  }
}
