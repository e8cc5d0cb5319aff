package dev.grizz.engine.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret from an environment variable or from a mounted file, the way Kubernetes and the secret
 * stores' CSI drivers deliver them. A file is read again when it changes (looked at no more than
 * once a second), so a rotated key is used without a restart; a file that cannot be read keeps the
 * last value. Never logged.
 */
public final class Secret implements Supplier<@Nullable String> {

  private static final Logger log = LoggerFactory.getLogger(Secret.class);
  private static final Duration LOOK_EVERY = Duration.ofSeconds(1);

  private final @Nullable String value;
  private final @Nullable Path file;
  private final Clock clock;
  private volatile @Nullable String current;
  private volatile @Nullable FileTime version;
  private volatile Instant lookedAt;

  private Secret(@Nullable String value, @Nullable Path file, Clock clock) {
    this.value = value;
    this.file = file;
    this.clock = clock;
    this.lookedAt = clock.instant();
  }

  /**
   * The value when set, otherwise the file's content.
   *
   * @throws SettingException naming {@code fileProperty} when the file cannot be read at start-up
   */
  public static Secret of(@Nullable String value, @Nullable Path file, String fileProperty) {
    return of(value, file, fileProperty, Clock.systemUTC());
  }

  static Secret of(@Nullable String value, @Nullable Path file, String fileProperty, Clock clock) {
    if (value != null && !value.isBlank()) {
      return new Secret(value.strip(), null, clock);
    }
    if (file == null || file.toString().isBlank()) {
      return new Secret(null, null, clock);
    }
    Secret secret = new Secret(null, file, clock);
    try {
      secret.version = Files.getLastModifiedTime(file);
      secret.current = read(file);
    } catch (IOException e) {
      throw new SettingException(fileProperty, "names a file that cannot be read");
    }
    return secret;
  }

  @Override
  public @Nullable String get() {
    Path source = file;
    if (source == null) {
      return value;
    }
    Instant now = clock.instant();
    if (now.isAfter(lookedAt.plus(LOOK_EVERY))) {
      lookedAt = now;
      try {
        FileTime modified = Files.getLastModifiedTime(source);
        if (!modified.equals(version)) {
          current = read(source);
          version = modified;
          log.info("Secret file {} changed; using its new value", source);
        }
      } catch (IOException e) {
        log.warn(
            "Secret file {} cannot be read ({}); keeping the last value", source, e.getMessage());
      }
    }
    return current;
  }

  private static @Nullable String read(Path file) throws IOException {
    String content = Files.readString(file).strip();
    return content.isEmpty() ? null : content;
  }
}
