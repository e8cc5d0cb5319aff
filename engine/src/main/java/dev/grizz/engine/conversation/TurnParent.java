package dev.grizz.engine.conversation;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where a new turn goes: after the conversation's active leaf (the default), after a chosen
 * finished answer (editing the message that followed it makes a branch), or at the root (editing
 * the first message).
 */
public record TurnParent(@Nullable UUID stepId, boolean root) {

  public static final TurnParent ACTIVE = new TurnParent(null, false);
  public static final TurnParent ROOT = new TurnParent(null, true);

  public static TurnParent after(UUID stepId) {
    return new TurnParent(stepId, false);
  }

  /**
   * The request field {@code parent_step_id}: absent for the active leaf, {@code "root"}, or a step
   * id.
   *
   * @throws InvalidStepException for anything else
   */
  public static TurnParent parse(@Nullable String value) {
    if (value == null) {
      return ACTIVE;
    }
    if (value.equals("root")) {
      return ROOT;
    }
    try {
      return after(UUID.fromString(value));
    } catch (IllegalArgumentException e) {
      throw new InvalidStepException(
          "invalid_parent_step_id",
          "parent_step_id",
          "parent_step_id must be a step id of this conversation or \"root\".");
    }
  }
}
