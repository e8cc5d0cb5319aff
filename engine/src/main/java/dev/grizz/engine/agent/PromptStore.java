package dev.grizz.engine.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Stores each prompt template once, keyed by its SHA-256, so a step can name what it was given. */
@Component
class PromptStore {

  private final PromptRepository repository;

  /** Hashes known to be stored, kept in memory up to this many. */
  static final int MAX_REMEMBERED = 10_000;

  private final Set<String> stored = ConcurrentHashMap.newKeySet();

  PromptStore(PromptRepository repository) {
    this.repository = repository;
  }

  /** The template's hash, after making sure the template is stored. */
  String register(String template) {
    String hash = sha256(template);
    if (!stored.contains(hash)) {
      repository.insertIfAbsent(hash, template);
      if (stored.size() >= MAX_REMEMBERED) {
        stored.clear(); // a conversation's own prompts are many; the engine's are few and come back
      }
      stored.add(hash);
    }
    return hash;
  }

  static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
