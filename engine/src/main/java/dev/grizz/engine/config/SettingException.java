package dev.grizz.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * A setting that is missing or inconsistent with another, found while a settings record is built.
 * Start-up reports it as one line naming the variable (see {@link SettingsFailureAnalyzer}).
 */
public final class SettingException extends IllegalArgumentException {

  private final String property;
  private final String problem;

  public SettingException(String property, String problem) {
    super(property + " " + problem);
    this.property = property;
    this.problem = problem;
  }

  /**
   * Throws unless {@code valid}, with the problem followed by the value as bound ({@code (got
   * 'value')}), so the one-line start-up error shows what was set.
   */
  public static void check(boolean valid, String property, @Nullable Object value, String problem) {
    if (!valid) {
      throw new SettingException(property, problem + " (got '" + value + "')");
    }
  }

  /** {@link #check} with the message of {@code @NotNull}. */
  public static void notNull(String property, @Nullable Object value) {
    check(value != null, property, value, "must not be null");
  }

  /** {@link #check} with the message of {@code @Min(min)}. */
  public static void min(String property, long value, long min) {
    check(value >= min, property, value, "must be greater than or equal to " + min);
  }

  /** {@link #check} with the message of {@code @Max(max)}. */
  public static void max(String property, long value, long max) {
    check(value <= max, property, value, "must be less than or equal to " + max);
  }

  public String property() {
    return property;
  }

  public String problem() {
    return problem;
  }
}
