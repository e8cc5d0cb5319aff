package dev.grizz.engine.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Session tokens: HS256 JWTs with the signing key's id in the header. Three types, never
 * interchangeable: an access token (short-lived, sent on every call), a refresh token (exchanged
 * for a new pair) and a stream ticket (for URLs, where a browser cannot send a header).
 */
@Service
public class Tokens {

  /** What a token may be used for. */
  public enum Type {
    ACCESS,
    REFRESH,
    TICKET;

    String claim() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A verified token: whose it is and until when it holds. */
  public record Verified(UUID userId, Type type, Instant expiresAt) {}

  /** A freshly signed token. */
  public record Issued(String token, Instant expiresAt) {}

  private final SigningKeys keys;
  private final AuthSettings settings;
  private final Clock clock;

  Tokens(SigningKeys keys, AuthSettings settings, Clock clock) {
    this.keys = keys;
    this.settings = settings;
    this.clock = clock;
  }

  public Issued issue(UUID userId, Type type) {
    Duration ttl =
        switch (type) {
          case ACCESS -> settings.accessTtl();
          case REFRESH -> settings.refreshTtl();
          case TICKET -> settings.ticketTtl();
        };
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    SigningKeys.Key key = keys.current();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(userId.toString())
            .claim("typ", type.claim())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(expires))
            .jwtID(UUID.randomUUID().toString())
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.kid()).build(), claims);
    try {
      jwt.sign(new MACSigner(key.secret()));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return new Issued(jwt.serialize(), expires);
  }

  /**
   * Checks a token's signature, key, type and expiry.
   *
   * @throws AuthException 401 {@code invalid_token} or {@code token_expired}
   */
  public Verified verify(String token, Type expected) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw invalid("The token is malformed.");
    }
    // Only HS256: a token must not choose its own algorithm ("none", or a public-key one).
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw invalid("The token is not signed the way this engine signs.");
    }
    String kid = jwt.getHeader().getKeyID();
    SigningKeys.Key key = kid == null ? null : keys.find(kid).orElse(null);
    if (key == null) {
      throw invalid("The token was signed with a key that is no longer accepted; sign in again.");
    }
    try {
      if (!jwt.verify(new MACVerifier(key.secret()))) {
        throw invalid("The token's signature does not match.");
      }
    } catch (JOSEException e) {
      throw invalid("The token's signature cannot be checked.");
    }
    Object typ = claims.getClaim("typ");
    if (!expected.claim().equals(typ)) {
      throw invalid(
          "This token is a " + typ + " token; this call needs a " + expected.claim() + " token.");
    }
    Date expiry = claims.getExpirationTime();
    if (expiry == null || claims.getSubject() == null) {
      throw invalid("The token lacks an expiry or a subject.");
    }
    if (!expiry.toInstant().isAfter(clock.instant())) {
      throw AuthException.unauthenticated(
          "token_expired", "The token has expired; refresh the session or sign in again.");
    }
    try {
      return new Verified(UUID.fromString(claims.getSubject()), expected, expiry.toInstant());
    } catch (IllegalArgumentException e) {
      throw invalid("The token's subject is not a user id.");
    }
  }

  private static AuthException invalid(String message) {
    return AuthException.unauthenticated("invalid_token", message);
  }
}
