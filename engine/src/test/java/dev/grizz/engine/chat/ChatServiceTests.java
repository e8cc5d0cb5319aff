package dev.grizz.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatServiceTests {

  @Test
  void titlesAConversationWithTheFirstLineOfItsFirstMessage() {
    assertThat(ChatService.titleFrom("  Plan a trip\nto Alaska")).isEqualTo("Plan a trip");
  }

  @Test
  void cutsLongTitlesAtAWord() {
    String title =
        ChatService.titleFrom(
            "Could you please explain how grizzly bears prepare for hibernation in the autumn");
    assertThat(title).endsWith("…").hasSizeLessThanOrEqualTo(ChatService.TITLE_LENGTH + 1);
    assertThat(title).isEqualTo("Could you please explain how grizzly bears prepare for…");
  }

  @Test
  void cutsAWordlessTitleAtTheLimit() {
    assertThat(ChatService.titleFrom("x".repeat(100))).isEqualTo("x".repeat(60) + "…");
  }
}
