package dev.grizz.engine.conversation;

import java.util.UUID;

/** A turn that is still being answered cannot be answered again yet: 409 {@code step_running}. */
public final class StepBusyException extends RuntimeException {

  public StepBusyException(UUID stepId) {
    super(
        "The turn of step "
            + stepId
            + " is still being answered; wait for it to finish or cancel it first.");
  }
}
