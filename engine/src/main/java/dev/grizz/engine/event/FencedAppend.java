package dev.grizz.engine.event;

/** What an append of a fenced attempt did. */
sealed interface FencedAppend {
  /** Written, with this id. */
  record Appended(EventId id) implements FencedAppend {}

  /** Refused: a later attempt holds the step. */
  record Lost() implements FencedAppend {}

  /** Not written: Redis has no fence as high as the attempt, and it may not raise it. */
  record Unconfirmed() implements FencedAppend {}
}
