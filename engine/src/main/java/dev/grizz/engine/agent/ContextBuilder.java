package dev.grizz.engine.agent;

import dev.grizz.engine.conversation.Message;
import dev.grizz.engine.conversation.StoredThinking;
import dev.grizz.engine.conversation.StoredToolCall;
import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.TokenCounter;
import dev.grizz.engine.llm.ToolCall;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Builds what a model sees: the system prompt, then as many of the newest turns as fit in the token
 * budget. Older turns are dropped whole; the context never opens on an assistant message whose
 * question was cut.
 */
@Component
class ContextBuilder {

  private final TokenCounter tokens;

  ContextBuilder(TokenCounter tokens) {
    this.tokens = tokens;
  }

  /** The context, and the tokens it holds, never more than {@code budget}. */
  Context build(String systemPrompt, List<Message> history, int budget) {
    ChatMessage system = new ChatMessage(Role.SYSTEM, systemPrompt);
    int used = tokens.count(system);
    Deque<Message> kept = new ArrayDeque<>();
    int keptTokens = 0;
    for (int i = history.size() - 1; i >= 0; i--) {
      Message message = history.get(i);
      if (role(message) == null) {
        continue;
      }
      int cost = cost(message);
      if (used + keptTokens + cost > budget) {
        break;
      }
      kept.addFirst(message);
      keptTokens += cost;
    }
    // Never open on an answer, or on tool results whose call was cut.
    while (!kept.isEmpty()
        && (kept.peekFirst().role() == Message.Role.ASSISTANT
            || kept.peekFirst().role() == Message.Role.TOOL)) {
      keptTokens -= cost(kept.removeFirst());
    }
    List<ChatMessage> context = new ArrayList<>(kept.size() + 1);
    context.add(system);
    List<Message> ordered = new ArrayList<>(kept);
    for (int i = 0; i < ordered.size(); i++) {
      Message message = ordered.get(i);
      if (message.role() == Message.Role.TOOL) {
        continue; // placed right after the call it answers, below
      }
      context.add(message(message));
      if (!message.toolCalls().isEmpty()) {
        addResults(context, message, ordered.subList(i + 1, ordered.size()));
      }
    }
    return new Context(List.copyOf(context), used + keptTokens, history.size() - kept.size());
  }

  /**
   * The results of an answer's tool calls, in the order of its calls, right after it: vendors
   * refuse a call without its result, so a call that has none (cancelled before it ran) is given
   * one that says so.
   */
  private static void addResults(List<ChatMessage> context, Message answer, List<Message> after) {
    for (StoredToolCall call : answer.toolCalls()) {
      String result = NO_RESULT;
      for (Message later : after) {
        if (later.role() == Message.Role.TOOL && call.id().equals(later.toolCallId())) {
          result = later.content();
          break;
        }
      }
      context.add(ChatMessage.toolResult(call.id(), result));
    }
  }

  static final String NO_RESULT = "The call did not run: the turn was cancelled before it did.";

  /** A stored message as the model is sent it: its text, then its images. */
  private static ChatMessage message(Message message) {
    Role role = Objects.requireNonNull(role(message));
    if (!message.toolCalls().isEmpty()) {
      // The vendor's signed reasoning goes back with the calls it led to (Anthropic wants it).
      List<ContentPart> said = new ArrayList<>();
      for (StoredThinking block : message.thinking()) {
        said.add(
            block.redacted()
                ? new ContentPart.RedactedThinking(block.text())
                : new ContentPart.Thinking(block.text(), block.signature()));
      }
      if (!message.content().isEmpty()) {
        said.add(new ContentPart.Text(message.content()));
      }
      return new ChatMessage(
          Role.ASSISTANT,
          said,
          message.toolCalls().stream()
              .map(call -> new ToolCall(call.id(), call.name(), call.arguments()))
              .toList(),
          null);
    }
    if (message.images().isEmpty()) {
      return new ChatMessage(role, message.content());
    }
    List<ContentPart> parts = new ArrayList<>(message.images().size() + 1);
    if (!message.content().isEmpty()) {
      parts.add(new ContentPart.Text(message.content()));
    }
    for (String url : message.images()) {
      parts.add(new ContentPart.Image(url, null));
    }
    return new ChatMessage(role, parts, List.of(), null);
  }

  /** A completion's signed reasoning blocks, as stored with its answer. */
  static List<StoredThinking> stored(List<ContentPart> thinking) {
    List<StoredThinking> stored = new ArrayList<>();
    for (ContentPart block : thinking) {
      if (block instanceof ContentPart.Thinking signed) {
        stored.add(new StoredThinking(signed.text(), signed.signature()));
      } else if (block instanceof ContentPart.RedactedThinking redacted) {
        stored.add(new StoredThinking(redacted.data(), null));
      }
    }
    return stored;
  }

  /** Tokens a message takes in a context, using the count stored with it when there is one. */
  int cost(Message message) {
    Integer stored = message.tokenCount();
    int content = stored != null ? stored : tokens.count(message.content());
    return content + TokenCounter.PER_MESSAGE_OVERHEAD;
  }

  private static @Nullable Role role(Message message) {
    return switch (message.role()) {
      case USER -> Role.USER;
      case ASSISTANT -> Role.ASSISTANT;
      case TOOL -> Role.TOOL;
      case SYSTEM -> null;
    };
  }

  /** A built context; {@code dropped} counts history messages left out. */
  record Context(List<ChatMessage> messages, int tokens, int dropped) {}
}
