package dev.grizz.engine.event;

import dev.grizz.engine.config.SettingException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The Redis that carries events and jobs across pods; absent means PostgreSQL does. */
@ConfigurationProperties("grizz.redis")
public record RedisSettings(@Nullable String url) {

  public RedisSettings {
    url = url == null || url.isBlank() ? null : url;
    SettingException.check(
        url == null || url.matches("rediss?://.+"),
        "grizz.redis.url",
        url,
        "must be a Redis URL such as redis://localhost:6379");
  }

  public boolean enabled() {
    return url != null;
  }

  /** The URL without its password, for logs. */
  public String safeUrl() {
    return url == null ? "" : url.replaceAll("//[^@/]*@", "//***@");
  }
}
