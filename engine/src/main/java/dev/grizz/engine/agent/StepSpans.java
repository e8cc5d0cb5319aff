package dev.grizz.engine.agent;

import io.opentelemetry.api.common.AttributeKey;

/** Attribute names of the spans the chat path makes ({@code job.enqueue}, {@code chat.step}). */
public final class StepSpans {

  public static final AttributeKey<String> STEP_ID = AttributeKey.stringKey("grizz.step_id");
  public static final AttributeKey<String> CONVERSATION_ID =
      AttributeKey.stringKey("grizz.conversation_id");
  static final AttributeKey<String> POD = AttributeKey.stringKey("grizz.pod");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("grizz.step.attempt");
  static final AttributeKey<String> STATUS = AttributeKey.stringKey("grizz.step.status");

  /**
   * Events appended for the step. Appends are not spans: one per delta would multiply a trace's
   * size by the answer's length and cost an allocation per token.
   */
  static final AttributeKey<Long> EVENTS = AttributeKey.longKey("grizz.events.appended");

  private StepSpans() {}
}
