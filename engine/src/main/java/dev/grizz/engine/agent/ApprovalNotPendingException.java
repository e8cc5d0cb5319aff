package dev.grizz.engine.agent;

import java.util.UUID;

/** A decision on a tool call that no longer waits for one (decided, expired, or cancelled). */
public final class ApprovalNotPendingException extends RuntimeException {

  public ApprovalNotPendingException(UUID stepId) {
    super(
        "The step "
            + stepId
            + " is not a tool call waiting for approval (it was decided, expired or cancelled).");
  }
}
