package dev.grizz.engine.conversation;

/** A conversation that already holds as many turns as one may. */
public final class ConversationTooLongException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int maxTurns;

  public ConversationTooLongException(int maxTurns) {
    super(
        "This conversation has reached its limit of "
            + maxTurns
            + " messages; start a new conversation.",
        null,
        false,
        false);
    this.maxTurns = maxTurns;
  }

  public int maxTurns() {
    return maxTurns;
  }
}
