package dev.grizz.engine.mcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts the header values of users' servers at rest: AES-256-GCM with a random 96-bit nonce, the
 * row's id as associated data (a value copied to another row does not decrypt), stored as {@code
 * v1:<base64 of nonce and ciphertext>}. Without a key nothing can be encrypted, so headers are
 * refused rather than kept with a key that would die with the process (and differ between pods).
 */
final class McpSecrets {

  private static final String PREFIX = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final @Nullable SecretKeySpec key;

  McpSecrets(byte @Nullable [] key) {
    this.key = key == null ? null : new SecretKeySpec(key, "AES");
  }

  boolean available() {
    return key != null;
  }

  String encrypt(UUID id, String plaintext) {
    if (key == null) {
      throw new IllegalStateException("no grizz.mcp.secret-key");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(id));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encrypting an MCP server's headers failed", e);
    }
  }

  /** The plaintext; throws when the key is missing or is not the one that encrypted it. */
  String decrypt(UUID id, String stored) {
    if (key == null) {
      throw new IllegalStateException(
          "the MCP secret key is not set, so stored headers cannot be read");
    }
    if (!stored.startsWith(PREFIX)) {
      throw new IllegalStateException("stored headers in an unknown format");
    }
    byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(aad(id));
      byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "the stored headers do not decrypt with the current MCP secret key (was it changed?)");
    }
  }

  private static byte[] aad(UUID id) {
    return id.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
