package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.List;

/**
 * What a share shows: the conversation's title and the messages of the branch it showed when it was
 * shared (user and assistant text, and images), nothing else of its owner.
 */
public record SharedSnapshot(String title, Instant sharedAt, List<SharedMessage> messages) {

  /** One message as shared: its role ({@code user} or {@code assistant}), text and images. */
  public record SharedMessage(String role, String content, List<String> images) {}
}
