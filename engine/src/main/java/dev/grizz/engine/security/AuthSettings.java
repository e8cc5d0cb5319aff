package dev.grizz.engine.security;

import dev.grizz.engine.config.SettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Sessions, tokens and request signing.
 *
 * @param signingKeys token signing keys, {@code kid:secret} separated by commas or new lines; the
 *     first signs new tokens, the others are still accepted (rotation)
 * @param signingKeysFile the same list in a mounted file, re-read when it changes
 * @param accessTtl lifetime of an access token
 * @param refreshTtl lifetime of a refresh token (and so the longest a retired key must stay listed)
 * @param ticketTtl lifetime of a stream ticket (SSE and WebSocket URLs)
 * @param clockSkew how far a signed request's timestamp may be from the engine's clock
 * @param adminEmail an admin account made (or promoted) at start-up
 * @param adminPassword its password, or {@code adminPasswordFile}
 */
@ConfigurationProperties("grizz.auth")
public record AuthSettings(
    @Nullable String signingKeys,
    @Nullable Path signingKeysFile,
    Duration accessTtl,
    Duration refreshTtl,
    Duration ticketTtl,
    Duration clockSkew,
    @Nullable String adminEmail,
    @Nullable String adminPassword,
    @Nullable Path adminPasswordFile) {

  public AuthSettings {
    signingKeys = blankToNull(signingKeys);
    adminEmail = blankToNull(adminEmail);
    adminPassword = blankToNull(adminPassword);
    if (signingKeysFile != null && signingKeysFile.toString().isBlank()) {
      signingKeysFile = null;
    }
    if (adminPasswordFile != null && adminPasswordFile.toString().isBlank()) {
      adminPasswordFile = null;
    }
    SettingException.notNull("grizz.auth.access-ttl", accessTtl);
    SettingException.notNull("grizz.auth.refresh-ttl", refreshTtl);
    SettingException.notNull("grizz.auth.ticket-ttl", ticketTtl);
    SettingException.notNull("grizz.auth.clock-skew", clockSkew);
    if (signingKeysFile != null && !Files.isReadable(signingKeysFile)) {
      throw new SettingException(
          "grizz.auth.signing-keys-file", "names a file that cannot be read");
    }
    if (signingKeys != null) {
      SigningKeys.parse(signingKeys, "grizz.auth.signing-keys");
    }
    if (adminEmail != null && adminPassword == null && adminPasswordFile == null) {
      throw new SettingException(
          "grizz.auth.admin-password", "is required when an admin email is set");
    }
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
