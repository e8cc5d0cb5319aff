package dev.grizz.engine.conversation;

import org.jspecify.annotations.Nullable;

/**
 * A block of a model's reasoning as its vendor signed it, stored with the answer that followed so
 * it can go back to that vendor unchanged in the next round (Anthropic wants it in the request that
 * carries the tool results): the thought and its {@code signature}, or, for reasoning the vendor
 * sent encrypted, that data in {@code text} with no signature.
 */
public record StoredThinking(String text, @Nullable String signature) {

  /** Whether the block is encrypted reasoning (its data in {@code text}). */
  public boolean redacted() {
    return signature == null;
  }
}
