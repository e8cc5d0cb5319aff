package dev.grizz.engine.api;

import dev.grizz.engine.config.SettingException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How streams are kept alive.
 *
 * @param heartbeat how often an idle SSE stream gets a comment line, and an idle WebSocket a ping
 */
@ConfigurationProperties("grizz.stream")
record StreamSettings(Duration heartbeat) {

  StreamSettings {
    SettingException.notNull("grizz.stream.heartbeat", heartbeat);
  }
}
