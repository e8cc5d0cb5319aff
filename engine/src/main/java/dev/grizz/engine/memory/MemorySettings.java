package dev.grizz.engine.memory;

import dev.grizz.engine.config.SettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Rolling summaries and long-term memory ({@code grizz.memory.*}).
 *
 * @param summaries whether long conversations are summarised (off: older turns fall out of the
 *     context, as before)
 * @param summaryModel the model that writes summaries; {@code auto:cheapest} takes the cheapest on
 *     the route
 * @param summarizeAt a summary is made once the unsummarised history reaches this share of the
 *     context budget ({@code grizz.chat.context-tokens})
 * @param keepRecent the share of the context budget the newest turns keep unsummarised
 * @param summaryMaxTokens the longest summary a model may write
 * @param longTerm whether users may keep memories (off: no {@code remember} tool, nothing recalled;
 *     the API still lists and erases what was kept)
 * @param defaultMode a user's memory mode until they choose one: {@code auto} (the model's
 *     proposals are saved), {@code confirm} (they wait for the user) or {@code off}
 * @param recallTokens the most tokens of memories put into one answer's context
 * @param maxPerUser the most memories a user may keep
 * @param maxChars the longest memory
 */
@ConfigurationProperties("grizz.memory")
public record MemorySettings(
    boolean summaries,
    String summaryModel,
    double summarizeAt,
    double keepRecent,
    int summaryMaxTokens,
    boolean longTerm,
    String defaultMode,
    int recallTokens,
    int maxPerUser,
    int maxChars) {

  public MemorySettings {
    SettingException.check(
        summaryModel != null && !summaryModel.isBlank(),
        "grizz.memory.summary-model",
        summaryModel,
        "must name a model or auto:cheapest");
    SettingException.check(
        summarizeAt > 0 && summarizeAt <= 1,
        "grizz.memory.summarize-at",
        summarizeAt,
        "must be a share of the context budget above 0 and at most 1");
    SettingException.check(
        keepRecent > 0 && keepRecent < summarizeAt,
        "grizz.memory.keep-recent",
        keepRecent,
        "must be above 0 and below grizz.memory.summarize-at");
    SettingException.min("grizz.memory.summary-max-tokens", summaryMaxTokens, 64);
    SettingException.check(
        defaultMode != null && MemoryMode.parse(defaultMode).isPresent(),
        "grizz.memory.default-mode",
        defaultMode,
        "must be auto, confirm or off");
    SettingException.min("grizz.memory.recall-tokens", recallTokens, 0);
    SettingException.min("grizz.memory.max-per-user", maxPerUser, 1);
    SettingException.min("grizz.memory.max-chars", maxChars, 16);
  }

  /** The mode of a user who never chose one. */
  public MemoryMode defaultUserMode() {
    return MemoryMode.parse(defaultMode).orElseThrow();
  }
}
