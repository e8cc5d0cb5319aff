package dev.grizz.engine.event;

import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The Redis that carries events and jobs across pods; absent means PostgreSQL does. */
@Validated
@ConfigurationProperties("grizz.redis")
public record RedisSettings(
    @Nullable
        @Pattern(
            regexp = "rediss?://.+",
            message = "must be a Redis URL such as redis://localhost:6379")
        String url) {

  public RedisSettings {
    url = url == null || url.isBlank() ? null : url;
  }

  public boolean enabled() {
    return url != null;
  }

  /** The URL without its password, for logs. */
  public String safeUrl() {
    return url == null ? "" : url.replaceAll("//[^@/]*@", "//***@");
  }
}
