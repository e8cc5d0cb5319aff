package dev.grizz.engine.llm;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@code llm.attempt} span's attributes, named after OpenTelemetry's generative-AI conventions
 * where they have a name, {@code grizz.*} otherwise.
 */
final class AttemptSpans {

  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("grizz.llm.outcome");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Boolean> ESTIMATED = AttributeKey.booleanKey("grizz.usage.estimated");
  static final AttributeKey<Long> FIRST_TOKEN_MS =
      AttributeKey.longKey("grizz.llm.time_to_first_token_ms");

  private AttemptSpans() {}

  /** Records how the attempt ended and ends the span. */
  static void end(Span span, LlmOutcome outcome, Usage usage, @Nullable Duration firstToken) {
    if (span.isRecording()) {
      switch (outcome) {
        case LlmOutcome.Completed done -> span.setAttribute(OUTCOME, "completed");
        case LlmOutcome.Cancelled cancelled -> span.setAttribute(OUTCOME, "cancelled");
        case LlmOutcome.Failed failed -> {
          span.setAttribute(OUTCOME, "failed");
          span.setAttribute(ERROR_TYPE, failed.code());
          span.setStatus(StatusCode.ERROR, failed.message());
        }
      }
      if (usage.promptTokens() != null) {
        span.setAttribute(INPUT_TOKENS, usage.promptTokens().longValue());
      }
      if (usage.completionTokens() != null) {
        span.setAttribute(OUTPUT_TOKENS, usage.completionTokens().longValue());
      }
      span.setAttribute(ESTIMATED, usage.estimated());
      if (firstToken != null) {
        span.setAttribute(FIRST_TOKEN_MS, firstToken.toMillis());
      }
    }
    span.end();
  }
}
