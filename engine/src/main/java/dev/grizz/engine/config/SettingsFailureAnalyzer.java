package dev.grizz.engine.config;

import java.util.Locale;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Turns a configuration failure into one sentence that names the environment variable a user sets
 * ({@code GRIZZ_MAX_CONTENT_BYTES}), not the Java property behind it: the variable is read from the
 * {@code ${VAR:default}} placeholder in application.properties.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class SettingsFailureAnalyzer implements FailureAnalyzer {

  private static final java.util.regex.Pattern PLACEHOLDER =
      java.util.regex.Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*)[:}]");

  private static final java.util.regex.Pattern CONVERSION =
      java.util.regex.Pattern.compile("convert to type (?:[a-z]+\\.)*([A-Za-z]+)");

  private final @Nullable Environment environment;

  SettingsFailureAnalyzer(@Nullable Environment environment) {
    this.environment = environment;
  }

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    SettingException setting = find(failure, SettingException.class);
    if (setting != null) {
      return analysis(variable(setting.property()) + " " + setting.problem());
    }
    InvalidConfigurationPropertyValueException badValue =
        find(failure, InvalidConfigurationPropertyValueException.class);
    if (badValue != null) {
      return analysis(
          notValid(badValue.getName(), actualValue(badValue.getName()), badValue.getReason()));
    }
    BindException unbindable = find(failure, BindException.class);
    if (unbindable != null) {
      ConfigurationProperty property = unbindable.getProperty();
      String name =
          property != null ? property.getName().toString() : unbindable.getName().toString();
      Object actual = actualValue(name);
      Object value = actual != null ? actual : property != null ? property.getValue() : null;
      Class<?> target = unbindable.getTarget().getType().toClass();
      if (target.isEnum()) {
        return analysis(
            variable(name)
                + " must be one of "
                + java.util.Arrays.stream(target.getEnumConstants())
                    .map(constant -> constant.toString().toLowerCase(Locale.ROOT))
                    .collect(java.util.stream.Collectors.joining(", "))
                + " (got '"
                + value
                + "')");
      }
      return analysis(
          variable(name)
              + ": '"
              + value
              + "' is not a valid "
              + unbindable
                  .getTarget()
                  .getType()
                  .toClass()
                  .getSimpleName()
                  .toLowerCase(Locale.ROOT));
    }
    return null;
  }

  private String notValid(String property, @Nullable Object value, @Nullable String reason) {
    Matcher conversion = CONVERSION.matcher(String.valueOf(reason));
    String type = conversion.find() ? conversion.group(1).toLowerCase(Locale.ROOT) : "value here";
    return variable(property) + ": '" + value + "' is not a valid " + type;
  }

  /** What the user actually set: the variable's value rather than the raw placeholder. */
  private @Nullable Object actualValue(String property) {
    if (environment == null) {
      return null;
    }
    String variable = variable(property);
    return variable.equals(property) ? null : environment.getProperty(variable);
  }

  /** The environment variable that feeds a property, or the property itself if none does. */
  String variable(String property) {
    if (environment instanceof ConfigurableEnvironment configurable) {
      for (PropertySource<?> source : configurable.getPropertySources()) {
        if (source instanceof EnumerablePropertySource<?> enumerable
            && enumerable.containsProperty(property)) {
          Object raw = enumerable.getProperty(property);
          if (raw != null) {
            Matcher placeholder = PLACEHOLDER.matcher(raw.toString());
            if (placeholder.find()) {
              return placeholder.group(1);
            }
          }
        }
      }
    }
    return property;
  }

  private static FailureAnalysis analysis(String description) {
    return new FailureAnalysis("configuration error: " + description, null, null);
  }

  private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
