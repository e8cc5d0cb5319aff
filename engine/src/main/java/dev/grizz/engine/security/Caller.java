package dev.grizz.engine.security;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who made a request: the user, what kind of user, and the API key when the request came with one
 * (and that key's own rate limit, if it has one).
 */
public record Caller(
    UUID userId, UserKind kind, @Nullable UUID apiKeyId, @Nullable Integer keyMessagesPerMinute) {

  public boolean admin() {
    return kind == UserKind.ADMIN;
  }

  public boolean anonymous() {
    return kind == UserKind.ANONYMOUS;
  }
}
