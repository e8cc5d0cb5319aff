package dev.grizz.engine.api;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How streams are kept alive.
 *
 * @param heartbeat how often an idle SSE stream gets a comment line, and an idle WebSocket a ping
 */
@Validated
@ConfigurationProperties("grizz.stream")
record StreamSettings(@NotNull Duration heartbeat) {}
