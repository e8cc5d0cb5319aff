package dev.grizz.engine.agent;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.config.SettingException;
import org.junit.jupiter.api.Test;

/** ChatSettings checks its values with the messages its constraints printed. */
class SettingChecksTests {

  @Test
  void theSystemPromptMustNotBeBlank() {
    assertThatThrownBy(() -> new ChatSettings(" \t", 6000, 32768, null, 1000))
        .isInstanceOf(SettingException.class)
        .hasMessage("grizz.chat.system-prompt must not be blank (got ' \t')");
    assertThatThrownBy(() -> new ChatSettings(null, 6000, 32768, null, 1000))
        .hasMessage("grizz.chat.system-prompt must not be blank (got 'null')");
  }

  @Test
  void sizesAreBounded() {
    assertThatThrownBy(() -> new ChatSettings("p", 255, 32768, null, 1000))
        .hasMessage("grizz.chat.context-tokens must be at least 256 tokens (got '255')");
    assertThatThrownBy(() -> new ChatSettings("p", 2_000_001, 32768, null, 1000))
        .hasMessage("grizz.chat.context-tokens must be at most 2000000 tokens (got '2000001')");
    assertThatThrownBy(() -> new ChatSettings("p", 6000, 0, null, 1000))
        .hasMessage("grizz.chat.max-content-bytes must be at least 1 byte (got '0')");
    assertThatThrownBy(() -> new ChatSettings("p", 6000, 10_485_761, null, 1000))
        .hasMessage("grizz.chat.max-content-bytes must be at most 10485760 bytes (got '10485761')");
    assertThatThrownBy(() -> new ChatSettings("p", 6000, 32768, null, 0))
        .hasMessage("grizz.chat.max-turns must be at least 1 message (got '0')");
  }
}
