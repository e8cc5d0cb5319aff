package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DemoProviderTests {

  private final TokenCounter tokens = new TokenCounter();

  private final LlmRequest request =
      new LlmRequest(
          "demo",
          List.of(
              new ChatMessage(Role.SYSTEM, "be brief"),
              new ChatMessage(Role.USER, "Tell me about bears")));

  @Test
  void streamsADeterministicReplyDerivedFromThePrompt() {
    DemoProvider demo = new DemoProvider(tokens, new DemoSettings(100_000));
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();

    LlmOutcome outcome = demo.stream(request, DeltaSink.textOnly(first::add), new CancelSignal());
    demo.stream(request, DeltaSink.textOnly(second::add), new CancelSignal());

    assertThat(first).hasSizeGreaterThan(10).isEqualTo(second);
    String text = String.join("", first);
    assertThat(text).isEqualTo(DemoProvider.reply("Tell me about bears"));
    assertThat(text).contains("\"Tell me about bears\"");
    assertThat(outcome).isInstanceOf(LlmOutcome.Completed.class);
    assertThat(outcome.usage())
        .isEqualTo(new Usage(tokens.count(request.messages()), tokens.count(text), false));
  }

  @Test
  void stopsWhenCancelled() {
    DemoProvider demo = new DemoProvider(tokens, new DemoSettings(50));
    CancelSignal cancel = new CancelSignal();
    AtomicInteger pieces = new AtomicInteger();

    LlmOutcome outcome =
        demo.stream(
            request,
            DeltaSink.textOnly(
                piece -> {
                  if (pieces.incrementAndGet() == 3) {
                    cancel.cancel();
                  }
                }),
            cancel);

    assertThat(outcome).isInstanceOf(LlmOutcome.Cancelled.class);
    assertThat(pieces).hasValue(3);
    assertThat(outcome.usage().completionTokens()).isPositive();
  }

  @Test
  void summarisesDeterministicallyKeepingTheEarlierSummaryAndEveryUserMessage() {
    String material =
        "Earlier summary:\n- The user said: I live in Lyon\n\nConversation:\n"
            + "User: my cat is Miso\nAssistant: Nice.\nTool result: 42\nUser: and you?\n";
    assertThat(DemoProvider.summary(material))
        .isEqualTo(
            "- The user said: I live in Lyon\n- The user said: my cat is Miso\n"
                + "- The user said: and you?");
  }
}
