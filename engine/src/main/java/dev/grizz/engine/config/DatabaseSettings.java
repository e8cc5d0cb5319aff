package dev.grizz.engine.config;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the data lives: a PostgreSQL URL, or, when none is given, an embedded PostgreSQL whose
 * files are kept in {@code dir} between runs.
 *
 * @param connectTimeout how long a caller waits for a pooled connection before it fails: while
 *     PostgreSQL is down, the time a request takes to answer 503 database_unavailable
 */
@ConfigurationProperties("grizz.db")
public record DatabaseSettings(
    @Nullable String url,
    @Nullable String username,
    @Nullable String password,
    @Nullable Path passwordFile,
    Path dir,
    int poolSize,
    Duration connectTimeout) {

  /**
   * Short, so a request during an outage fails in seconds rather than after Hikari's 30 s, and long
   * enough that a busy pool's queue rarely reaches it.
   */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

  /** Hikari refuses less. */
  static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);

  static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(60);

  // An empty variable binds as null: the timeout falls back to its default, as if unset.
  public DatabaseSettings {
    url = blankToNull(url);
    username = blankToNull(username);
    password = blankToNull(password);
    if (passwordFile != null && passwordFile.toString().isBlank()) {
      passwordFile = null;
    }
    SettingException.check(
        url == null || url.matches("jdbc:postgresql://.+"),
        "grizz.db.url",
        url,
        "must be a JDBC URL such as jdbc:postgresql://host:5432/grizz");
    SettingException.notNull("grizz.db.dir", dir);
    SettingException.min("grizz.db.pool-size", poolSize, 1);
    SettingException.max("grizz.db.pool-size", poolSize, 500);
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    SettingException.check(
        connectTimeout.compareTo(MIN_CONNECT_TIMEOUT) >= 0
            && connectTimeout.compareTo(MAX_CONNECT_TIMEOUT) <= 0,
        "grizz.db.connect-timeout",
        connectTimeout.toMillis() + "ms",
        "must be a duration from 250ms to 60s, such as 3s");
    if (url != null && username == null) {
      throw new SettingException("grizz.db.username", "is required when GRIZZ_DB_URL is set");
    }
  }

  /** The password from GRIZZ_DB_PASSWORD or, re-read when it changes, GRIZZ_DB_PASSWORD_FILE. */
  public Secret passwordSecret() {
    return Secret.of(password, passwordFile, "grizz.db.password-file");
  }

  /** True when no URL is configured and the engine runs its own PostgreSQL. */
  public boolean embedded() {
    return url == null;
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
