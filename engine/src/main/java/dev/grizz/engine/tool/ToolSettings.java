package dev.grizz.engine.tool;

import dev.grizz.engine.config.SettingException;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The agent loop's limits: tool rounds per user message (the last round's answer is made without
 * tools), tool calls per round (calls beyond it are refused, and the model told), tool calls per
 * user per day, how long a call waits for the user's approval, which tools always need it, and how
 * much of a result the chat shows (the model may see more, up to the tool's own limit).
 */
@ConfigurationProperties("grizz.tools")
public record ToolSettings(
    @DefaultValue(DEFAULT_MAX_ROUNDS) int maxRounds,
    @DefaultValue(DEFAULT_MAX_CALLS_PER_ROUND) int maxCallsPerRound,
    @DefaultValue(DEFAULT_MAX_CALLS_PER_USER_PER_DAY) int maxCallsPerUserPerDay,
    @DefaultValue(DEFAULT_APPROVAL_TIMEOUT) Duration approvalTimeout,
    @DefaultValue List<String> requireApproval,
    @DefaultValue(DEFAULT_DISPLAY_CHARS) int displayChars) {

  public static final String DEFAULT_MAX_ROUNDS = "8";
  public static final String DEFAULT_MAX_CALLS_PER_ROUND = "8";
  public static final String DEFAULT_MAX_CALLS_PER_USER_PER_DAY = "2000";
  public static final String DEFAULT_APPROVAL_TIMEOUT = "10m";
  public static final String DEFAULT_DISPLAY_CHARS = "2000";

  public ToolSettings {
    requireApproval = List.copyOf(requireApproval);
    SettingException.check(
        maxRounds >= 1 && maxRounds <= 100,
        "grizz.tools.max-rounds",
        maxRounds,
        "must be 1 to 100");
    SettingException.check(
        maxCallsPerRound >= 1 && maxCallsPerRound <= 128,
        "grizz.tools.max-calls-per-round",
        maxCallsPerRound,
        "must be 1 to 128");
    SettingException.check(
        maxCallsPerUserPerDay >= 0,
        "grizz.tools.max-calls-per-user-per-day",
        maxCallsPerUserPerDay,
        "must not be negative");
    SettingException.check(
        approvalTimeout.compareTo(Duration.ofSeconds(1)) >= 0,
        "grizz.tools.approval-timeout",
        approvalTimeout,
        "must be at least 1s");
    SettingException.check(
        displayChars >= 100, "grizz.tools.display-chars", displayChars, "must be at least 100");
  }

  /** Whether a call of {@code tool} waits for the user's approval. */
  public boolean needsApproval(ToolDefinition tool) {
    return tool.limits().needsApproval() || requireApproval.contains(tool.name());
  }
}
