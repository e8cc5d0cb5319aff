package dev.grizz.engine.security;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * What browsers and request bodies may do.
 *
 * @param allowedOrigins other origins that may call the API and open WebSockets (patterns such as
 *     {@code https://*.example.com} or {@code http://127.0.0.1:[*]}); the engine's own origin
 *     always may, and so may clients that send no Origin (servers, SDKs)
 * @param maxBodyBytes the largest request body accepted
 * @param maxJsonDepth the deepest nesting of objects and arrays a JSON body may have
 */
@Validated
@ConfigurationProperties("grizz.web")
public record WebSettings(
    @Nullable List<String> allowedOrigins,
    @Min(1024) @Max(104_857_600) int maxBodyBytes,
    @Min(4) @Max(1000) int maxJsonDepth) {

  public WebSettings {
    allowedOrigins =
        allowedOrigins == null
            ? List.of()
            : allowedOrigins.stream().filter(o -> !o.isBlank()).map(String::strip).toList();
  }
}
