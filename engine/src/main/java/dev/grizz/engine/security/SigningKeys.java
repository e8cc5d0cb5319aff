package dev.grizz.engine.security;

import dev.grizz.engine.config.SettingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The keys that sign and verify session tokens, by key id. The first listed key signs; every listed
 * key verifies, so rotation is: add the new key second, then move it first, then remove the old one
 * once the longest token lifetime has passed. A key file is re-read when it changes, so a rotation
 * needs no restart.
 */
@Service
public class SigningKeys {

  private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
  private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  static final int MIN_SECRET_BYTES = 32;

  /** One key: its id and its HMAC secret. */
  public record Key(String kid, byte[] secret) {}

  private final @Nullable Path file;
  private final @Nullable JdbcClient jdbc;
  private volatile @Nullable List<Key> keys;
  private volatile @Nullable FileTime loadedVersion;

  SigningKeys(AuthSettings settings, JdbcClient jdbc) {
    this.file = settings.signingKeysFile();
    this.jdbc = settings.signingKeysFile() == null && settings.signingKeys() == null ? jdbc : null;
    if (file != null) {
      this.keys = parse(read(file), "grizz.auth.signing-keys-file");
      this.loadedVersion = modified(file);
    } else if (settings.signingKeys() != null) {
      this.keys = parse(settings.signingKeys(), "grizz.auth.signing-keys");
    } else {
      // Read on first use, once the schema is migrated.
      this.keys = null;
    }
  }

  /**
   * The key kept in the database when none is configured: made by the first engine on this
   * database, read by every other and after every restart, so sessions outlive restarts and work on
   * every pod.
   */
  private List<Key> generated(JdbcClient jdbc) {
    byte[] secret = new byte[MIN_SECRET_BYTES];
    new SecureRandom().nextBytes(secret);
    jdbc.sql(
            """
            insert into generated_signing_key (id, kid, secret) values (1, :kid, :secret)
            on conflict (id) do nothing
            """)
        .param("kid", "generated-" + HexFormat.of().formatHex(secret, 0, 4))
        .param("secret", secret)
        .update();
    Key key =
        jdbc.sql("select kid, secret from generated_signing_key where id = 1")
            .query((rs, n) -> new Key(rs.getString("kid"), rs.getBytes("secret")))
            .single();
    log.info(
        "No signing keys set (GRIZZ_SIGNING_KEYS): tokens are signed with key {}, generated once"
            + " and kept in the database, so sessions outlive restarts and work on every pod of this"
            + " database; set your own keys in production",
        key.kid());
    return List.of(key);
  }

  /** The key that signs new tokens. */
  public Key current() {
    return reloaded().getFirst();
  }

  /** A key that may still verify tokens; empty once it is retired (or never existed). */
  public Optional<Key> find(String kid) {
    for (Key key : reloaded()) {
      if (key.kid().equals(kid)) {
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  private List<Key> reloaded() {
    List<Key> loaded = keys;
    if (loaded == null) {
      synchronized (this) {
        if (keys == null) {
          keys = generated(java.util.Objects.requireNonNull(jdbc));
        }
        loaded = keys;
      }
      return java.util.Objects.requireNonNull(loaded);
    }
    Path source = file;
    if (source != null) {
      FileTime version = modified(source);
      if (version != null && !version.equals(loadedVersion)) {
        synchronized (this) {
          if (!version.equals(loadedVersion)) {
            try {
              keys = parse(read(source), "grizz.auth.signing-keys-file");
              log.info(
                  "Signing keys reloaded from {}: current key {}", source, keys.getFirst().kid());
            } catch (RuntimeException e) {
              log.warn(
                  "Signing key file {} is unusable, keeping the previous keys: {}",
                  source,
                  e.getMessage());
            }
            loadedVersion = version;
          }
        }
      }
    }
    return java.util.Objects.requireNonNull(keys);
  }

  /** Parses {@code kid:secret} entries separated by commas or new lines. */
  static List<Key> parse(String spec, String property) {
    Map<String, Key> parsed = new LinkedHashMap<>();
    for (String entry : spec.split("[,\\n]")) {
      String trimmed = entry.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      if (colon <= 0) {
        throw new SettingException(property, "needs entries of the form kid:secret");
      }
      String kid = trimmed.substring(0, colon);
      byte[] secret = trimmed.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
      if (!KID.matcher(kid).matches()) {
        throw new SettingException(property, "has a key id that is not 1-64 of [A-Za-z0-9._-]");
      }
      if (secret.length < MIN_SECRET_BYTES) {
        throw new SettingException(
            property, "has a secret shorter than " + MIN_SECRET_BYTES + " bytes (key " + kid + ")");
      }
      if (parsed.putIfAbsent(kid, new Key(kid, secret)) != null) {
        throw new SettingException(property, "lists the key id " + kid + " twice");
      }
    }
    if (parsed.isEmpty()) {
      throw new SettingException(property, "lists no key");
    }
    return List.copyOf(new ArrayList<>(parsed.values()));
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new SettingException(
          "grizz.auth.signing-keys-file", "cannot be read: " + e.getMessage());
    }
  }

  private static @Nullable FileTime modified(Path path) {
    try {
      return Files.getLastModifiedTime(path);
    } catch (IOException e) {
      return null;
    }
  }
}
