package dev.grizz.engine.conversation;

import java.util.UUID;

/** The conversation does not exist, or is not the caller's (the two are not told apart). */
public final class ConversationNotFoundException extends RuntimeException {

  public ConversationNotFoundException(UUID id) {
    super("conversation " + id + " not found");
  }
}
