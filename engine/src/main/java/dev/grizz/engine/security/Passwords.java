package dev.grizz.engine.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Password hashes. bcrypt reads at most 72 bytes (Spring's encoder throws beyond that, which was a
 * 500 on sign-up), while a password may have 200 characters of any script. So a password is first
 * reduced to 44 ASCII characters, base64 of HMAC-SHA256 under a fixed label, and that is bcrypt'd;
 * the hash is stored as {@value #PREFIX} followed by bcrypt's own string.
 *
 * <p>Why this shape: base64 keeps NUL bytes (which end bcrypt's input) out of the digest; the HMAC
 * label makes the intermediate value something other than a plain SHA-256, so unsalted SHA-256
 * hashes leaked elsewhere cannot be tried against our bcrypt hashes without cracking them first.
 * Argon2id would need BouncyCastle, a dependency of about 8 MB, for the same guarantee. Hashes made
 * before (bare bcrypt, {@code $2a$…}) still verify, and {@link #outdated} tells login to replace
 * them.
 */
final class Passwords {

  static final String PREFIX = "{hs256-bcrypt}";
  private static final byte[] LABEL = "grizz password v2".getBytes(StandardCharsets.UTF_8);
  // bcrypt's default cost (2^10 rounds): about 50-80 ms per hash on this project's machines.
  private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();

  String hash(String password) {
    return PREFIX + bcrypt.encode(reduce(password));
  }

  /** Whether the password matches the stored hash, of either generation. */
  boolean matches(String password, @Nullable String stored) {
    if (stored == null) {
      return false;
    }
    if (stored.startsWith(PREFIX)) {
      return bcrypt.matches(reduce(password), stored.substring(PREFIX.length()));
    }
    // A bare bcrypt hash was made from a password of at most 72 bytes (longer ones failed), and
    // the encoder throws on a longer one rather than truncating it.
    if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
      return false;
    }
    return bcrypt.matches(password, stored);
  }

  /** Whether the stored hash is of the old generation and should be replaced after a login. */
  boolean outdated(String stored) {
    return !stored.startsWith(PREFIX);
  }

  private static String reduce(String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(LABEL, "HmacSHA256"));
      byte[] digest = mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
