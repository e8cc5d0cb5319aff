package dev.grizz.engine.telemetry;

import dev.grizz.engine.config.SettingException;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code GRIZZ_LOG_FORMAT}: {@code text} (the default, one line with the trace id in brackets) or
 * {@code json}, which is Spring Boot's Elastic Common Schema structured logging ({@code ecs},
 * {@code logstash} and {@code gelf} name Boot's formats directly). Every JSON line carries the
 * {@code trace_id} of the log context. Runs before logging starts; an explicit {@code
 * logging.structured.format.console} wins.
 */
class LogFormat implements EnvironmentPostProcessor {

  static final String PROPERTY = "grizz.log.format";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    String format = environment.getProperty(PROPERTY, "text").strip().toLowerCase(Locale.ROOT);
    String structured =
        switch (format) {
          case "", "text" -> null;
          case "json", "ecs" -> "ecs";
          case "logstash", "gelf" -> format;
          default ->
              throw new SettingException(
                  "GRIZZ_LOG_FORMAT", "must be text or json (or ecs, logstash, gelf)");
        };
    if (structured != null) {
      environment
          .getPropertySources()
          .addLast(
              new MapPropertySource(
                  "grizzLogFormat", Map.of("logging.structured.format.console", structured)));
    }
  }
}
