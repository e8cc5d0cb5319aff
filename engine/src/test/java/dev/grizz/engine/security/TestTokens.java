package dev.grizz.engine.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** Tokens made by hand, to present the engine with ones it would never issue itself. */
final class TestTokens {

  private TestTokens() {}

  static String sign(String kid, String secret, UUID user, String type, Instant expires) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(user.toString())
            .claim("typ", type)
            .issueTime(Date.from(expires.minusSeconds(900)))
            .expirationTime(Date.from(expires))
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
    try {
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
