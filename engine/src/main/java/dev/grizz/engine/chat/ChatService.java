package dev.grizz.engine.chat;

import dev.grizz.engine.conversation.Conversation;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.Turn;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.TokenCounter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Accepts a user's message: checks it, records it with a queued answer step, and has the answer
 * generated.
 */
@Service
public class ChatService {

  static final int TITLE_LENGTH = 60;
  static final String UNTITLED = "New conversation";

  private final ConversationStore store;
  private final ChatAgent agent;
  private final LlmRouter router;
  private final TokenCounter tokens;
  private final ChatSettings settings;

  ChatService(
      ConversationStore store,
      ChatAgent agent,
      LlmRouter router,
      TokenCounter tokens,
      ChatSettings settings) {
    this.store = store;
    this.agent = agent;
    this.router = router;
    this.tokens = tokens;
    this.settings = settings;
  }

  /**
   * Starts a conversation, optionally with a first message. The message is checked before anything
   * is written, so a rejected one leaves no empty conversation behind.
   */
  public Conversation start(
      UUID userId, @Nullable String title, @Nullable String firstMessage, @Nullable String model) {
    CheckedMessage checked = firstMessage == null ? null : check(firstMessage, model);
    String chosenTitle =
        title != null && !title.isBlank()
            ? title.strip()
            : firstMessage != null ? titleFrom(firstMessage) : UNTITLED;
    Conversation conversation = store.create(userId, chosenTitle);
    if (checked != null) {
      post(userId, conversation.id(), checked);
    }
    return conversation;
  }

  /**
   * Records a user's message and answers it. In this version the answer is generated before the
   * method returns.
   *
   * @throws MessageRejectedException when the content is empty or too large
   * @throws dev.grizz.engine.llm.UnknownModelException when no provider serves {@code model}
   * @throws dev.grizz.engine.conversation.ConversationNotFoundException for an unknown or foreign
   *     conversation
   */
  public PostedMessage post(
      UUID userId, UUID conversationId, String content, @Nullable String model) {
    return post(userId, conversationId, check(content, model));
  }

  private PostedMessage post(UUID userId, UUID conversationId, CheckedMessage message) {
    Turn turn =
        store.appendUserTurn(
            userId,
            conversationId,
            message.content(),
            message.tokens(),
            Map.of("model", message.model()));
    return new PostedMessage(turn, agent.answer(turn, delta -> {}, new CancelSignal()));
  }

  private CheckedMessage check(String content, @Nullable String requestedModel) {
    if (content.isBlank()) {
      throw new MessageRejectedException("content_empty", "The message is empty.");
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
    int count = tokens.count(content);
    int room =
        settings.contextTokens()
            - tokens.count(settings.systemPrompt())
            - 2 * TokenCounter.PER_MESSAGE_OVERHEAD;
    if (count > room) {
      throw new MessageRejectedException(
          "content_too_long",
          "The message is " + count + " tokens; at most " + room + " fit in the model's context.");
    }
    String model =
        router.resolveModel(requestedModel != null ? requestedModel : settings.defaultModel());
    return new CheckedMessage(content, count, model);
  }

  static String titleFrom(String message) {
    String line = message.strip().lines().findFirst().orElse("").strip();
    if (line.length() <= TITLE_LENGTH) {
      return line.isEmpty() ? UNTITLED : line;
    }
    int cut = line.lastIndexOf(' ', TITLE_LENGTH);
    return line.substring(0, cut > TITLE_LENGTH / 2 ? cut : TITLE_LENGTH).strip() + "…";
  }

  private record CheckedMessage(String content, int tokens, String model) {}
}
