package dev.grizz.engine.moderation;

import dev.grizz.engine.config.SettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How content is moderated. The OpenAI key is the moderation's own, else the one the LLM providers
 * use ({@code OPENAI_API_KEY}); keys may come from files and are never logged. The policy is parsed
 * here, so a bad one stops start-up with the property named.
 *
 * @param provider who scores texts
 * @param baseUrl the OpenAI-compatible API root; {@code /moderations} is appended
 * @param model the moderation model asked for
 * @param timeout the whole OpenAI call, after which the offline moderator answers instead
 * @param policy per-category thresholds layered over the built-in ones (see {@link
 *     ModerationPolicy})
 * @param storeContent how much of a violating text the violation log keeps
 */
@ConfigurationProperties("grizz.moderation")
record ModerationSettings(
    Provider provider,
    @Nullable String openaiApiKey,
    @Nullable Path openaiApiKeyFile,
    @Nullable String sharedOpenaiApiKey,
    @Nullable Path sharedOpenaiApiKeyFile,
    String baseUrl,
    String model,
    Duration timeout,
    @Nullable String policy,
    StoreContent storeContent) {

  static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  static final String DEFAULT_MODEL = "omni-moderation-latest";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** Who scores texts. */
  enum Provider {
    /** The pattern list shipped with the engine: no network, a baseline. */
    OFFLINE,
    /** OpenAI's moderation endpoint, with the offline list when it fails. */
    OPENAI,
    /** Nothing is checked and nothing is logged. */
    OFF
  }

  /** How much of a violating text is stored. */
  enum StoreContent {
    /** A short excerpt with the matched words, e-mail addresses and long numbers masked. */
    REDACTED,
    /** The whole text. */
    FULL,
    /** Nothing: categories and scores only. */
    NONE
  }

  // An empty variable binds as null: each falls back to its default, as if unset.
  ModerationSettings {
    provider = provider == null ? Provider.OFFLINE : provider;
    baseUrl = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : stripSlash(baseUrl.strip());
    model = model == null || model.isBlank() ? DEFAULT_MODEL : model.strip();
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    storeContent = storeContent == null ? StoreContent.REDACTED : storeContent;
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new SettingException("grizz.moderation.base-url", "must be an http(s) URL");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new SettingException(
          "grizz.moderation.timeout", "must be a positive duration such as 5s");
    }
    ModerationPolicy.parse(policy);
    // Fields are assigned only after this body: read the parameters, not the accessors.
    if (provider == Provider.OPENAI
        && key(openaiApiKey, openaiApiKeyFile, sharedOpenaiApiKey, sharedOpenaiApiKeyFile) == null
        && baseUrl.startsWith(DEFAULT_BASE_URL)) {
      throw new SettingException(
          "grizz.moderation.openai-api-key",
          "must be set (or OPENAI_API_KEY) when the moderation provider is openai");
    }
  }

  /** The parsed policy; cheap enough to call once per service. */
  ModerationPolicy parsedPolicy() {
    return ModerationPolicy.parse(policy);
  }

  /** The moderation key, else the providers' OpenAI key; null when neither is set. */
  @Nullable String openaiKey() {
    return key(openaiApiKey, openaiApiKeyFile, sharedOpenaiApiKey, sharedOpenaiApiKeyFile);
  }

  private static @Nullable String key(
      @Nullable String own,
      @Nullable Path ownFile,
      @Nullable String shared,
      @Nullable Path sharedFile) {
    String key = secret(own, ownFile, "grizz.moderation.openai-api-key-file");
    return key != null
        ? key
        : secret(shared, sharedFile, "grizz.moderation.shared-openai-api-key-file");
  }

  private static @Nullable String secret(
      @Nullable String value, @Nullable Path file, String property) {
    if (value != null && !value.isBlank()) {
      return value.strip();
    }
    if (file == null || file.toString().isBlank()) {
      return null;
    }
    try {
      String content = Files.readString(file).strip();
      return content.isEmpty() ? null : content;
    } catch (IOException e) {
      throw new SettingException(property, "names a file that cannot be read");
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
