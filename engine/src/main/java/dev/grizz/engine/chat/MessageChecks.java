package dev.grizz.engine.chat;

import dev.grizz.engine.agent.Answering;
import dev.grizz.engine.agent.ChatSettings;
import dev.grizz.engine.agent.MessageRejectedException;
import dev.grizz.engine.agent.SettingsRules;
import dev.grizz.engine.conversation.ConversationSettings;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.TokenCounter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The checks a user's message passes before {@link ChatService} records it: its content (empty,
 * control characters, size, what fits the model's context), the model and settings it asks for, its
 * {@code client_msg_id}, then the content policy and budgets.
 */
final class MessageChecks {

  private final LlmRouter router;
  private final TokenCounter tokens;
  private final ChatSettings settings;
  private final SettingsRules rules;
  private final Answering answering;

  MessageChecks(
      LlmRouter router,
      TokenCounter tokens,
      ChatSettings settings,
      SettingsRules rules,
      Answering answering) {
    this.router = router;
    this.tokens = tokens;
    this.settings = settings;
    this.rules = rules;
    this.answering = answering;
  }

  /** A message that passed {@link #check}: its token count and the model that answers it. */
  record CheckedMessage(
      String content,
      List<String> images,
      int tokens,
      String model,
      @Nullable String clientMessageId) {}

  /**
   * Refuses a message the content policy blocks or a budget cannot pay for, before anything is
   * stored or any model called (so a refused first message leaves no empty conversation behind).
   */
  CheckedMessage admitted(UUID userId, @Nullable UUID apiKeyId, CheckedMessage message) {
    answering.admit(userId, apiKeyId, message.content(), message.tokens());
    return message;
  }

  CheckedMessage check(
      String content,
      List<String> images,
      @Nullable String requestedModel,
      @Nullable String clientMessageId,
      ConversationSettings conversation) {
    if (content.isBlank()) {
      throw new MessageRejectedException("content_empty", "The message is empty.");
    }
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
        throw new MessageRejectedException(
            "content_invalid_characters",
            "The message contains a control character (code "
                + (int) c
                + ") at position "
                + i
                + ".");
      }
    }
    int bytes = content.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > settings.maxContentBytes()) {
      throw new MessageRejectedException(
          "content_too_large",
          "The message is "
              + bytes
              + " bytes; the limit is "
              + settings.maxContentBytes()
              + " bytes.");
    }
    int count = tokens.count(content) + images.size() * TokenCounter.IMAGE_TOKENS;
    int room =
        settings.contextTokens()
            - tokens.count(rules.systemPrompt(conversation))
            - 2 * TokenCounter.PER_MESSAGE_OVERHEAD;
    if (count > room) {
      throw new MessageRejectedException(
          "content_too_long",
          "The message is " + count + " tokens; at most " + room + " fit in the model's context.");
    }
    String model =
        router.resolveModel(
            requestedModel != null
                ? requestedModel
                : conversation.model() != null ? conversation.model() : settings.defaultModel());
    rules.requireHonoured(model, conversation, !images.isEmpty());
    if (clientMessageId != null && (clientMessageId.isBlank() || clientMessageId.length() > 128)) {
      throw new MessageRejectedException(
          "invalid_client_msg_id", "client_msg_id must be 1 to 128 characters.");
    }
    return new CheckedMessage(content, images, count, model, clientMessageId);
  }
}
