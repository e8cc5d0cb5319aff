package dev.grizz.engine.chat;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** How chat turns are accepted and answered. */
@Validated
@ConfigurationProperties("grizz.chat")
record ChatSettings(
    @NotBlank String systemPrompt,
    @Min(value = 256, message = "must be at least 256 tokens")
        @Max(value = 2_000_000, message = "must be at most 2000000 tokens")
        int contextTokens,
    @Min(value = 1, message = "must be at least 1 byte")
        @Max(value = 10_485_760, message = "must be at most 10485760 bytes")
        int maxContentBytes,
    @Nullable String defaultModel,
    @Min(value = 1, message = "must be at least 1 message") int maxTurns) {

  ChatSettings {
    defaultModel = defaultModel == null || defaultModel.isBlank() ? null : defaultModel;
  }
}
