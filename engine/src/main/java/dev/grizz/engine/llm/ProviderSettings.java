package dev.grizz.engine.llm;

import dev.grizz.engine.config.Secret;
import dev.grizz.engine.config.SettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which LLM providers are enabled and how requests are routed among them. A provider is enabled by
 * its key alone (or, for OpenAI, a base URL); keys may come from files (*_FILE) and are never
 * logged.
 */
@ConfigurationProperties("grizz.providers")
record ProviderSettings(
    @Nullable String openaiApiKey,
    @Nullable Path openaiApiKeyFile,
    @Nullable String openaiBaseUrl,
    @Nullable List<String> openaiModels,
    @Nullable String anthropicApiKey,
    @Nullable Path anthropicApiKeyFile,
    String anthropicBaseUrl,
    int anthropicMaxTokens,
    @Nullable String mistralApiKey,
    @Nullable Path mistralApiKeyFile,
    String mistralBaseUrl,
    @Nullable String compatible,
    @Nullable List<String> route,
    String strategy,
    Duration firstTokenTimeout,
    Duration readTimeout,
    @Nullable Path pricesFile,
    boolean dropUnsupported) {

  static final String OPENAI_DEFAULT_URL = "https://api.openai.com/v1";

  ProviderSettings {
    openaiBaseUrl = blankToNull(openaiBaseUrl);
    compatible = blankToNull(compatible);
    openaiModels =
        openaiModels == null ? List.of() : openaiModels.stream().filter(m -> !m.isBlank()).toList();
    route =
        route == null
            ? List.of()
            : route.stream().filter(m -> !m.isBlank()).map(String::strip).toList();
    if (pricesFile != null && pricesFile.toString().isBlank()) {
      pricesFile = null;
    }
    SettingException.notNull("grizz.providers.anthropic-base-url", anthropicBaseUrl);
    SettingException.min("grizz.providers.anthropic-max-tokens", anthropicMaxTokens, 1);
    SettingException.notNull("grizz.providers.mistral-base-url", mistralBaseUrl);
    SettingException.notNull("grizz.providers.strategy", strategy);
    SettingException.notNull("grizz.providers.first-token-timeout", firstTokenTimeout);
    SettingException.notNull("grizz.providers.read-timeout", readTimeout);
    if (pricesFile != null && !Files.isReadable(pricesFile)) {
      throw new SettingException("grizz.providers.prices-file", "names a file that cannot be read");
    }
    namedServers(compatible);
  }

  Secret openaiKey() {
    return Secret.of(openaiApiKey, openaiApiKeyFile, "grizz.providers.openai-api-key-file");
  }

  Secret anthropicKey() {
    return Secret.of(
        anthropicApiKey, anthropicApiKeyFile, "grizz.providers.anthropic-api-key-file");
  }

  Secret mistralKey() {
    return Secret.of(mistralApiKey, mistralApiKeyFile, "grizz.providers.mistral-api-key-file");
  }

  /** Further OpenAI-compatible servers, {@code name=url} separated by commas. */
  Map<String, String> compatibleServers() {
    return namedServers(compatible);
  }

  private static Map<String, String> namedServers(@Nullable String spec) {
    Map<String, String> servers = new LinkedHashMap<>();
    if (spec == null) {
      return servers;
    }
    for (String entry : spec.split(",")) {
      String[] parts = entry.strip().split("=", 2);
      if (parts.length != 2
          || !parts[0].strip().matches("[a-z][a-z0-9_-]*")
          || !parts[1].strip().startsWith("http")) {
        throw new SettingException(
            "grizz.providers.compatible",
            "must be name=url pairs such as ollama=http://localhost:11434/v1");
      }
      servers.put(parts[0].strip(), parts[1].strip());
    }
    return servers;
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
