package dev.grizz.engine.config;

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

  public String property() {
    return property;
  }

  public String problem() {
    return problem;
  }
}
