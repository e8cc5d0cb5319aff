package dev.grizz.engine.responses;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The Responses API's ids: {@code resp_<32 hex digits>}, items {@code msg_<32 hex>_<n>}. */
final class ResponseIds {

  private ResponseIds() {}

  /** The UUID in {@code <prefix><32 hex digits>[...]}, or null. */
  static @Nullable UUID uuid(String id, String prefix) {
    if (!id.startsWith(prefix) || id.length() < prefix.length() + 32) {
      return null;
    }
    String hex = id.substring(prefix.length(), prefix.length() + 32);
    if (!hex.matches("[0-9a-f]{32}")) {
      return null;
    }
    return new UUID(
        Long.parseUnsignedLong(hex.substring(0, 16), 16),
        Long.parseUnsignedLong(hex.substring(16), 16));
  }
}
