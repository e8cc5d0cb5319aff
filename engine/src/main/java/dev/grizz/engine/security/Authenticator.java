package dev.grizz.engine.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Turns a request's credentials into a {@link Caller}: a session token (bearer header, WebSocket
 * subprotocol or stream ticket), an API key as a plain bearer (OpenAI-compatible routes only), or
 * an HMAC-signed request. It checks the credentials, not what the route needs.
 */
@Service
public class Authenticator {

  /** Signed requests carry these headers (documented in the README). */
  public static final String KEY_ID = "X-Grizz-Key-Id";

  public static final String TIMESTAMP = "X-Grizz-Timestamp";
  public static final String NONCE = "X-Grizz-Nonce";
  public static final String SIGNATURE = "X-Grizz-Signature";

  private static final Pattern NONCE_SHAPE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Pattern HEX_SIGNATURE = Pattern.compile("(?:v1=)?([0-9a-fA-F]{64})");

  /** The parts of a request that credentials may live in. */
  public record Credentials(
      String method,
      String pathAndQuery,
      @Nullable String authorization,
      @Nullable String webSocketProtocols,
      @Nullable String ticket,
      @Nullable String keyId,
      @Nullable String timestamp,
      @Nullable String nonce,
      @Nullable String signature,
      boolean apiKeyBearerAllowed) {

    boolean signed() {
      return keyId != null || signature != null;
    }
  }

  private final Tokens tokens;
  private final ApiKeys apiKeys;
  private final Accounts accounts;
  private final Nonces nonces;
  private final AuthSettings settings;
  private final Clock clock;

  Authenticator(
      Tokens tokens,
      ApiKeys apiKeys,
      Accounts accounts,
      Nonces nonces,
      AuthSettings settings,
      Clock clock) {
    this.tokens = tokens;
    this.apiKeys = apiKeys;
    this.accounts = accounts;
    this.nonces = nonces;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * The caller these credentials prove, or null when there are none.
   *
   * @param body the request body, needed only to check a signature
   * @throws AuthException when credentials are present but wrong, or the user is suspended
   */
  public @Nullable Caller authenticate(Credentials c, byte[] body) {
    Caller caller;
    if (c.signed()) {
      caller = signed(c, body);
    } else if (c.authorization() != null) {
      caller = bearer(c.authorization(), c.apiKeyBearerAllowed());
    } else if (c.webSocketProtocols() != null && bearerProtocol(c.webSocketProtocols()) != null) {
      caller = session(tokens.verify(bearerProtocol(c.webSocketProtocols()), Tokens.Type.ACCESS));
    } else if (c.ticket() != null) {
      caller = session(tokens.verify(c.ticket(), Tokens.Type.TICKET));
    } else {
      return null;
    }
    return caller;
  }

  private Caller bearer(String authorization, boolean apiKeyAllowed) {
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw AuthException.unauthenticated(
          "invalid_token", "The Authorization header must read 'Bearer <token>'.");
    }
    String token = authorization.substring(7).strip();
    if (ApiKeys.looksLikeKey(token)) {
      if (!apiKeyAllowed) {
        throw AuthException.unauthenticated(
            "signature_required",
            "API keys sign their requests on this route (see the README); only the"
                + " OpenAI-compatible /v1 routes take an API key as a bearer token.");
      }
      ApiKeys.Active key =
          apiKeys
              .byBearer(token)
              .orElseThrow(
                  () ->
                      AuthException.unauthenticated(
                          "invalid_api_key", "This API key does not exist or was revoked."));
      return active(key.userId(), key);
    }
    return session(tokens.verify(token, Tokens.Type.ACCESS));
  }

  private Caller signed(Credentials c, byte[] body) {
    if (c.keyId() == null || c.timestamp() == null || c.nonce() == null || c.signature() == null) {
      throw AuthException.unauthenticated(
          "signature_invalid",
          "A signed request needs all of "
              + KEY_ID
              + ", "
              + TIMESTAMP
              + ", "
              + NONCE
              + " and "
              + SIGNATURE
              + ".");
    }
    UUID keyId;
    long seconds;
    try {
      keyId = UUID.fromString(c.keyId());
      seconds = Long.parseLong(c.timestamp());
    } catch (IllegalArgumentException e) {
      throw AuthException.unauthenticated(
          "signature_invalid", KEY_ID + " must be a key id and " + TIMESTAMP + " Unix seconds.");
    }
    // In plain seconds: Instant.ofEpochSecond fails on ±2^63, and the difference could overflow.
    long now = clock.instant().getEpochSecond();
    Duration skew =
        Duration.ofSeconds(
            Math.abs(
                Math.max(Math.min(seconds, now + 1_000_000_000L), now - 1_000_000_000L) - now));
    if (skew.compareTo(settings.clockSkew()) > 0) {
      throw AuthException.unauthenticated(
          "timestamp_skewed",
          "The request's timestamp is "
              + skew.toSeconds()
              + " s away from the engine's clock; at most "
              + settings.clockSkew().toSeconds()
              + " s is accepted. Check the client's clock.");
    }
    if (!NONCE_SHAPE.matcher(c.nonce()).matches()) {
      throw AuthException.unauthenticated(
          "signature_invalid", NONCE + " must be 16-64 characters of [A-Za-z0-9_-].");
    }
    var signature = HEX_SIGNATURE.matcher(c.signature().strip());
    if (!signature.matches()) {
      throw AuthException.unauthenticated(
          "signature_invalid", SIGNATURE + " must be 64 hex digits (HMAC-SHA256).");
    }
    ApiKeys.Active key =
        apiKeys
            .byId(keyId)
            .orElseThrow(
                () ->
                    AuthException.unauthenticated(
                        "invalid_api_key", "This API key does not exist or was revoked."));
    byte[] expected =
        hmac(
            key.signingKey(),
            canonical(c.method(), c.pathAndQuery(), c.timestamp(), c.nonce(), body));
    byte[] presented = HexFormat.of().parseHex(signature.group(1).toLowerCase(Locale.ROOT));
    if (!MessageDigest.isEqual(expected, presented)) {
      throw AuthException.unauthenticated(
          "signature_invalid",
          "The signature does not match the request; see the README for what is signed.");
    }
    // Checked after the signature, so nobody can burn another client's nonces.
    if (!nonces.firstUse(keyId, c.nonce(), settings.clockSkew().multipliedBy(2))) {
      throw AuthException.unauthenticated(
          "nonce_reused", "This nonce was used already: a replayed request is refused.");
    }
    return active(key.userId(), key);
  }

  /**
   * The string a client signs: method, path with query, timestamp, nonce and the body's SHA-256,
   * one per line.
   */
  public static String canonical(
      String method, String pathAndQuery, String timestamp, String nonce, byte[] body) {
    return method.toUpperCase(Locale.ROOT)
        + "\n"
        + pathAndQuery
        + "\n"
        + timestamp
        + "\n"
        + nonce
        + "\n"
        + HexFormat.of().formatHex(ApiKeys.sha256(body));
  }

  /** HMAC-SHA256 of the canonical string with the key's signing key (SHA-256 of its secret). */
  public static byte[] hmac(byte[] signingKey, String canonical) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
      return mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private Caller session(Tokens.Verified token) {
    return active(token.userId(), null);
  }

  private Caller active(UUID userId, ApiKeys.@Nullable Active key) {
    Accounts.UserState state =
        accounts
            .state(userId)
            .orElseThrow(
                () ->
                    AuthException.unauthenticated("invalid_token", "This user no longer exists."));
    if (state.suspended()) {
      throw Accounts.suspended();
    }
    return key == null
        ? new Caller(userId, state.kind(), null, null)
        : new Caller(userId, state.kind(), key.id(), key.messagesPerMinute());
  }

  /** The token inside a {@code bearer.<token>} WebSocket subprotocol, if any. */
  static @Nullable String bearerProtocol(String protocols) {
    for (String protocol : protocols.split(",")) {
      String p = protocol.strip();
      if (p.startsWith("bearer.")) {
        return p.substring(7);
      }
    }
    return null;
  }
}
