package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.config.SettingException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DemoSettings and ProviderSettings check their values with the messages of their constraints. */
class SettingChecksTests {

  @Test
  void theDemoSpeedIsBounded() {
    assertThatThrownBy(() -> new DemoSettings(0.05))
        .isInstanceOf(SettingException.class)
        .hasMessage("grizz.demo.tokens-per-second must be at least 0.1 (got '0.05')");
    assertThatThrownBy(() -> new DemoSettings(100_000.5))
        .hasMessage("grizz.demo.tokens-per-second must be at most 100000 (got '100000.5')");
    assertThatThrownBy(() -> new DemoSettings(Double.NaN))
        .hasMessage("grizz.demo.tokens-per-second must be at least 0.1 (got 'NaN')");
    assertThatCode(() -> new DemoSettings(0.1)).doesNotThrowAnyException();
    assertThatCode(() -> new DemoSettings(100_000)).doesNotThrowAnyException();
  }

  @Test
  void providerSettingsNeedTheirDefaults() {
    assertThatThrownBy(() -> Routers.settings(List.of(), "priority", Duration.ofSeconds(10), 0))
        .hasMessage(
            "grizz.providers.anthropic-max-tokens must be greater than or equal to 1 (got '0')");
    assertThatThrownBy(() -> Routers.settings(List.of(), null, Duration.ofSeconds(10)))
        .hasMessage("grizz.providers.strategy must not be null (got 'null')");
  }
}
