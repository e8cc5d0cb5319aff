package dev.grizz.engine.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.conversation.Message;
import dev.grizz.engine.conversation.StoredToolCall;
import dev.grizz.engine.conversation.Summaries;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a summarising model is sent, and what an answer is told of a summary. */
class SummarizerTests {

  private static Message message(Message.Role role, String content) {
    return new Message(UUID.randomUUID(), UUID.randomUUID(), role, content, null, Instant.EPOCH);
  }

  @Test
  void theMaterialHoldsTheEarlierSummaryThenEveryTurnWithItsToolCallsAndResults() {
    Message call =
        new Message(
            UUID.randomUUID(),
            UUID.randomUUID(),
            Message.Role.ASSISTANT,
            "",
            null,
            Instant.EPOCH,
            null,
            List.of(),
            List.of(new StoredToolCall("c1", "current_time", "{\"timezone\":\"Asia/Tokyo\"}")),
            null,
            List.of());
    Message result =
        new Message(
            UUID.randomUUID(),
            UUID.randomUUID(),
            Message.Role.TOOL,
            "{\"datetime\":\"2026-12-07T10:00:00+09:00\"}",
            null,
            Instant.EPOCH,
            null,
            List.of(),
            List.of(),
            "c1",
            List.of());
    Summaries.StoredSummary earlier =
        new Summaries.StoredSummary(UUID.randomUUID(), UUID.randomUUID(), "- Lives in Lyon.", 4);

    String material =
        Summarizer.material(
            earlier,
            List.of(
                message(Message.Role.USER, "What time is it in Tokyo?"),
                call,
                result,
                message(Message.Role.ASSISTANT, "It is 10:00 in Tokyo."),
                message(Message.Role.USER, "x".repeat(Summarizer.MAX_MESSAGE_CHARS + 10))));

    assertThat(material)
        .startsWith("Earlier summary:\n- Lives in Lyon.\n\nConversation:\n")
        .contains(
            "User: What time is it in Tokyo?\n"
                + "Assistant called current_time: {\"timezone\":\"Asia/Tokyo\"}\n"
                + "Tool result: {\"datetime\":\"2026-12-07T10:00:00+09:00\"}\n"
                + "Assistant: It is 10:00 in Tokyo.\n")
        .contains("x".repeat(Summarizer.MAX_MESSAGE_CHARS) + " […]");
    assertThat(Summarizer.INSTRUCTIONS).startsWith(dev.grizz.engine.llm.SummaryPrompt.OPENING);
  }

  @Test
  void anAnswerIsToldTheSummaryStandsForTheMessagesItNoLongerSees() {
    assertThat(Summarizer.note(null)).isEmpty();
    assertThat(
            Summarizer.note(
                new Summaries.StoredSummary(
                    UUID.randomUUID(), UUID.randomUUID(), " - Cat: Miso ", 2)))
        .isEqualTo(
            "\n\nEarlier messages of this conversation are not shown; this is a summary of them:\n"
                + "- Cat: Miso");
  }
}
