package dev.grizz.engine.agent;

import dev.grizz.engine.config.SettingException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How chat turns are accepted and answered. */
@ConfigurationProperties("grizz.chat")
public record ChatSettings(
    String systemPrompt,
    int contextTokens,
    int maxContentBytes,
    @Nullable String defaultModel,
    int maxTurns) {

  public ChatSettings {
    defaultModel = defaultModel == null || defaultModel.isBlank() ? null : defaultModel;
    SettingException.check(
        systemPrompt != null && !systemPrompt.isBlank(),
        "grizz.chat.system-prompt",
        systemPrompt,
        "must not be blank");
    SettingException.check(
        contextTokens >= 256,
        "grizz.chat.context-tokens",
        contextTokens,
        "must be at least 256 tokens");
    SettingException.check(
        contextTokens <= 2_000_000,
        "grizz.chat.context-tokens",
        contextTokens,
        "must be at most 2000000 tokens");
    SettingException.check(
        maxContentBytes >= 1,
        "grizz.chat.max-content-bytes",
        maxContentBytes,
        "must be at least 1 byte");
    SettingException.check(
        maxContentBytes <= 10_485_760,
        "grizz.chat.max-content-bytes",
        maxContentBytes,
        "must be at most 10485760 bytes");
    SettingException.check(
        maxTurns >= 1, "grizz.chat.max-turns", maxTurns, "must be at least 1 message");
  }
}
