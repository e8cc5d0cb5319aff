package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.config.SettingException;
import org.junit.jupiter.api.Test;

/** StreamSettings checks its value with the message of its constraint. */
class SettingChecksTests {

  @Test
  void theHeartbeatIsRequired() {
    assertThatThrownBy(() -> new StreamSettings(null))
        .isInstanceOf(SettingException.class)
        .hasMessage("grizz.stream.heartbeat must not be null (got 'null')");
  }
}
