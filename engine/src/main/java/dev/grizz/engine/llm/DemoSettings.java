package dev.grizz.engine.llm;

import dev.grizz.engine.config.SettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The offline {@code demo} provider: how fast it "types". */
@ConfigurationProperties("grizz.demo")
record DemoSettings(double tokensPerSecond) {

  DemoSettings {
    // Comparisons with NaN are false, so NaN is rejected, as @DecimalMin rejected it.
    SettingException.check(
        tokensPerSecond >= 0.1,
        "grizz.demo.tokens-per-second",
        tokensPerSecond,
        "must be at least 0.1");
    SettingException.check(
        tokensPerSecond <= 100_000,
        "grizz.demo.tokens-per-second",
        tokensPerSecond,
        "must be at most 100000");
  }
}
