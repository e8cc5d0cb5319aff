package dev.grizz.engine.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.conversation.Message;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.TokenCounter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ContextBuilderTests {

  private final TokenCounter tokens = new TokenCounter();
  private final ContextBuilder builder = new ContextBuilder(tokens);

  private static Message message(Message.Role role, String content, Integer tokenCount) {
    return new Message(
        UUID.randomUUID(), UUID.randomUUID(), role, content, tokenCount, Instant.EPOCH);
  }

  private List<Message> longConversation(int turns) {
    List<Message> history = new ArrayList<>();
    for (int i = 0; i < turns; i++) {
      String question =
          "Question " + i + ": " + "tell me about bears and salmon rivers. ".repeat(20);
      String answer =
          "Answer " + i + ": " + "Grizzlies fish for salmon in the autumn runs. ".repeat(25);
      history.add(message(Message.Role.USER, question, tokens.count(question)));
      history.add(message(Message.Role.ASSISTANT, answer, null));
    }
    history.add(message(Message.Role.USER, "And the newest question?", null));
    return history;
  }

  @Test
  void cutsALongConversationToTheBudgetKeepingTheNewestTurns() {
    List<Message> history = longConversation(100);

    ContextBuilder.Context context = builder.build("You are Grizz.", history, 6_000);

    assertThat(tokens.count(context.messages()))
        .isEqualTo(context.tokens())
        .isLessThanOrEqualTo(6_000);
    assertThat(context.tokens()).isGreaterThan(5_000);
    assertThat(context.messages().getFirst())
        .isEqualTo(new ChatMessage(Role.SYSTEM, "You are Grizz."));
    assertThat(context.messages().getLast().text()).isEqualTo("And the newest question?");
    // What was kept is a contiguous tail of the history, in order.
    List<ChatMessage> kept = context.messages().subList(1, context.messages().size());
    List<Message> tail = history.subList(history.size() - kept.size(), history.size());
    for (int i = 0; i < kept.size(); i++) {
      assertThat(kept.get(i).text()).isEqualTo(tail.get(i).content());
    }
    assertThat(context.dropped()).isEqualTo(history.size() - kept.size());
  }

  @Test
  void neverOpensOnAnAnswerWhoseQuestionWasCut() {
    List<Message> history = longConversation(30);
    for (int budget = 300; budget <= 6_000; budget += 137) {
      ContextBuilder.Context context = builder.build("sys", history, budget);
      assertThat(context.tokens()).isLessThanOrEqualTo(budget);
      if (context.messages().size() > 1) {
        assertThat(context.messages().get(1).role()).isEqualTo(Role.USER);
      }
    }
  }

  @Test
  void keepsAShortConversationWhole() {
    List<Message> history =
        List.of(
            message(Message.Role.USER, "hi", null),
            message(Message.Role.ASSISTANT, "hello", null),
            message(Message.Role.USER, "how are you?", null));

    ContextBuilder.Context context = builder.build("sys", history, 6_000);

    assertThat(context.messages())
        .extracting(ChatMessage::role)
        .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER);
    assertThat(context.dropped()).isZero();
  }

  @Test
  void usesStoredTokenCountsWhenPresent() {
    Message stored = message(Message.Role.USER, "four words right here", 1000);

    assertThat(builder.cost(stored)).isEqualTo(1000 + TokenCounter.PER_MESSAGE_OVERHEAD);
  }
}
