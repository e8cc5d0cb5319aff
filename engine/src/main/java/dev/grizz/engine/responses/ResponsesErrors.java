package dev.grizz.engine.responses;

import dev.grizz.engine.llm.Feature;
import dev.grizz.engine.llm.InvalidRequestException;
import dev.grizz.engine.llm.UnsupportedFeatureException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * The Responses API's own refusals, naming the field in its terms ({@code max_output_tokens},
 * {@code text.format}, {@code input}), not Chat Completions'. Mapped like every failure by {@link
 * ErrorCatalog} and rendered in OpenAI's shape by {@link OpenAiErrorShape}.
 */
public final class ResponsesErrors {

  private ResponsesErrors() {}

  /** A request the Responses API refuses, or an answer that failed before anything streamed. */
  public static final class RefusedException extends RuntimeException {
    final HttpStatus status;
    final String type;
    final @Nullable String param;
    final @Nullable String code;

    RefusedException(
        HttpStatus status,
        String type,
        @Nullable String param,
        @Nullable String code,
        String message) {
      super(message);
      this.status = status;
      this.type = type;
      this.param = param;
      this.code = code;
    }

    public HttpStatus status() {
      return status;
    }

    /** The stable code, null for none beyond the type. */
    public @Nullable String code() {
      return code;
    }

    /** The request field it names (OpenAI's param), if any. */
    public @Nullable String field() {
      return param;
    }

    /** A malformed or out-of-range value: 400 naming the field. */
    static RefusedException invalid(@Nullable String param, String message) {
      return new RefusedException(
          HttpStatus.BAD_REQUEST, "invalid_request_error", param, "invalid_value", message);
    }

    /** A field, or a value of one, that Grizz cannot honour: 400 unsupported_parameter. */
    static RefusedException unsupported(String param, String message) {
      return new RefusedException(
          HttpStatus.BAD_REQUEST, "invalid_request_error", param, "unsupported_parameter", message);
    }

    static RefusedException notFound(@Nullable String param, String message) {
      return new RefusedException(
          HttpStatus.NOT_FOUND, "invalid_request_error", param, "not_found", message);
    }

    /** The typed model's refusal, naming the field as the Responses API spells it. */
    static RefusedException of(InvalidRequestException e) {
      String param = e.param().equals(e.feature().openAiParam()) ? param(e.feature()) : e.param();
      return invalid(param, e.getMessage());
    }

    static RefusedException of(UnsupportedFeatureException e) {
      String param = param(e.feature());
      return unsupported(
          param,
          "The model '"
              + e.model()
              + "' does not support '"
              + param
              + "'; send the request without it or pick another model.");
    }
  }

  /**
   * What a background response's error says of a failure: the engine's stable code, then plain
   * words (the catalog's mapping renders statuses, which a response that already exists has none
   * of).
   */
  static String describe(RuntimeException e) {
    return switch (e) {
      case RefusedException refused ->
          (refused.code == null ? refused.type : refused.code) + ": " + refused.getMessage();
      case dev.grizz.engine.agent.MessageRejectedException rejected ->
          rejected.code() + ": " + rejected.getMessage();
      case dev.grizz.engine.moderation.ModerationBlockedException blocked ->
          "content_policy: the engine's content policy blocked the input ("
              + String.join(", ", blocked.verdict().categories())
              + ")";
      case dev.grizz.engine.usage.BudgetExceededException budget ->
          "budget_exceeded: the "
              + budget.limit()
              + " budget is spent; it resets at "
              + budget.resetsAt();
      case dev.grizz.engine.llm.UnknownModelException unknown ->
          "model_not_found: " + unknown.getMessage();
      default -> "internal_error: the engine failed to answer; its log has the cause";
    };
  }

  /** The Responses API's field for a feature of the typed model. */
  static String param(Feature feature) {
    return switch (feature) {
      case IMAGES -> "input";
      case MAX_OUTPUT_TOKENS -> "max_output_tokens";
      case REASONING -> "reasoning.effort";
      case JSON_OBJECT, JSON_SCHEMA -> "text.format";
      case LOGPROBS -> "top_logprobs";
      default -> feature.openAiParam();
    };
  }
}
