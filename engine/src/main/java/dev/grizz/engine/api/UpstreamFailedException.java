package dev.grizz.engine.api;

import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.LlmOutcome;

/**
 * Every candidate failed before any piece of an answer came (or, not streaming, at all): the
 * provider's error code (one of {@link dev.grizz.engine.llm.ErrorCode}'s) and words, for {@link
 * ErrorCatalog} to give a status. Thrown by every {@code /v1} API alike.
 */
final class UpstreamFailedException extends RuntimeException {

  private final String code;

  UpstreamFailedException(String code, String message) {
    super(message);
    this.code = code;
  }

  static UpstreamFailedException of(Completion completion) {
    LlmOutcome.Failed failed = (LlmOutcome.Failed) completion.outcome();
    return new UpstreamFailedException(failed.code(), failed.message());
  }

  String code() {
    return code;
  }
}
