package dev.grizz.engine.security;

import dev.grizz.engine.config.IdGenerator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys for server-to-server calls. A key reads {@code gzk_<id>_<secret>}; the engine keeps only
 * SHA-256 of the secret. That digest is also the HMAC key a client signs requests with, so the
 * plain secret never needs to be stored: a leaked database lets requests be signed until the key is
 * revoked, but does not reveal the bearer secret.
 */
@Service
public class ApiKeys {

  private static final Pattern KEY = Pattern.compile("gzk_([0-9a-f]{32})_([A-Za-z0-9_-]{20,100})");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A key as listed: never its secret. */
  public record Listed(
      UUID id,
      String name,
      @Nullable Integer messagesPerMinute,
      Instant createdAt,
      @Nullable Instant revokedAt) {}

  /** A new key; {@code key} is shown once and never again. */
  public record Created(Listed listed, String key) {}

  /** An active key found for a request. */
  public record Active(
      UUID id, UUID userId, byte[] signingKey, @Nullable Integer messagesPerMinute) {}

  private final JdbcClient jdbc;
  private final IdGenerator ids;
  private final Clock clock;

  ApiKeys(JdbcClient jdbc, IdGenerator ids, Clock clock) {
    this.jdbc = jdbc;
    this.ids = ids;
    this.clock = clock;
  }

  @Transactional
  public Created create(UUID userId, String name, @Nullable Integer messagesPerMinute) {
    UUID id = ids.next();
    byte[] secretBytes = new byte[32];
    RANDOM.nextBytes(secretBytes);
    // Hex, so the secret is simply what follows the key's last underscore.
    String secret = HexFormat.of().formatHex(secretBytes);
    Instant now = clock.instant();
    jdbc.sql(
            """
            insert into api_keys (id, user_id, name, secret_hash, messages_per_minute, created_at)
            values (:id, :user, :name, :hash, :mpm, :at)
            """)
        .param("id", id)
        .param("user", userId)
        .param("name", name)
        .param("hash", HexFormat.of().formatHex(sha256(secret)))
        .param("mpm", messagesPerMinute)
        .param("at", Timestamp.from(now))
        .update();
    String key = "gzk_" + id.toString().replace("-", "") + "_" + secret;
    return new Created(new Listed(id, name, messagesPerMinute, now, null), key);
  }

  @Transactional(readOnly = true)
  public List<Listed> list(UUID userId) {
    return jdbc.sql(
            """
            select id, name, messages_per_minute, created_at, revoked_at from api_keys
            where user_id = :user order by created_at desc
            """)
        .param("user", userId)
        .query(
            (rs, n) ->
                new Listed(
                    rs.getObject("id", UUID.class),
                    rs.getString("name"),
                    (Integer) rs.getObject("messages_per_minute"),
                    rs.getTimestamp("created_at").toInstant(),
                    Optional.ofNullable(rs.getTimestamp("revoked_at"))
                        .map(Timestamp::toInstant)
                        .orElse(null)))
        .list();
  }

  /** Deletes all of a user's keys with their budgets (erasure); returns how many there were. */
  @Transactional
  public int deleteAll(UUID userId) {
    return jdbc.sql("delete from api_keys where user_id = :user").param("user", userId).update();
  }

  /** Revokes one of the user's keys; false when the user has no such key. */
  @Transactional
  public boolean revoke(UUID userId, UUID keyId) {
    return jdbc.sql(
                """
                update api_keys set revoked_at = coalesce(revoked_at, :at)
                where id = :id and user_id = :user
                """)
            .param("at", Timestamp.from(clock.instant()))
            .param("id", keyId)
            .param("user", userId)
            .update()
        == 1;
  }

  /** The active key a plain bearer {@code gzk_…} names, if its secret matches. */
  public Optional<Active> byBearer(String presented) {
    Matcher m = KEY.matcher(presented);
    if (!m.matches()) {
      return Optional.empty();
    }
    UUID id =
        UUID.fromString(
            m.group(1).replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
    byte[] presentedHash = sha256(m.group(2));
    return byId(id).filter(key -> MessageDigest.isEqual(key.signingKey(), presentedHash));
  }

  /** An active (not revoked) key by id. */
  public Optional<Active> byId(UUID id) {
    return jdbc.sql(
            """
            select k.id, k.user_id, k.secret_hash, k.messages_per_minute from api_keys k
            where k.id = :id and k.revoked_at is null
            """)
        .param("id", id)
        .query(
            (rs, n) ->
                new Active(
                    rs.getObject("id", UUID.class),
                    rs.getObject("user_id", UUID.class),
                    HexFormat.of().parseHex(rs.getString("secret_hash")),
                    (Integer) rs.getObject("messages_per_minute")))
        .optional();
  }

  /** Whether a bearer token looks like an API key rather than a session token. */
  public static boolean looksLikeKey(String token) {
    return token.startsWith("gzk_");
  }

  static byte[] sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
