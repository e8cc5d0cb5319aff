package dev.grizz.engine.event;

import dev.grizz.engine.config.SettingException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Redis that carries events and jobs across pods; absent means PostgreSQL does.
 *
 * @param url the Redis URL
 * @param jobStream the job stream's name; unset, {@code grizz:jobs:<deployment id>}, so that
 *     engines sharing one Redis with different databases never take each other's jobs. An operator
 *     names it to point an autoscaler (KEDA) at it, and then gives each deployment its own name.
 */
@ConfigurationProperties("grizz.redis")
public record RedisSettings(@Nullable String url, @Nullable String jobStream) {

  public RedisSettings {
    url = url == null || url.isBlank() ? null : url;
    jobStream = jobStream == null || jobStream.isBlank() ? null : jobStream;
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
