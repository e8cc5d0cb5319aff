package dev.grizz.engine.llm.anthropic;

import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.Feature;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.RequestOptions;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.ToolSpec;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the Messages API takes narrower than the engine's options allow, and the thinking budget.
 *
 * <p>A reasoning effort becomes a budget of thinking tokens: {@code minimal} 1,024 (the API's
 * least), {@code low} 2,048, {@code medium} 8,192, {@code high} 24,576; {@code none} turns thinking
 * off. The API wants {@code max_tokens} above the budget: without an output limit the request gets
 * the budget plus the configured default; with one, an effort's budget is cut below it (an effort
 * is a hint; an explicit budget the options already hold below the limit).
 */
final class Thinking {

  private static final Set<String> MEDIA_TYPES =
      Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  private Thinking() {}

  /** The thinking budget the request asks for, or null for no thinking. */
  static @Nullable Integer budget(RequestOptions options) {
    if (options.thinkingBudget() != null) {
      return options.thinkingBudget();
    }
    RequestOptions.ReasoningEffort effort = options.reasoningEffort();
    if (effort == null || effort == RequestOptions.ReasoningEffort.NONE) {
      return null;
    }
    int budget =
        switch (effort) {
          case MINIMAL -> RequestOptions.MIN_THINKING_BUDGET;
          case LOW -> 2048;
          case MEDIUM -> 8192;
          default -> 24576;
        };
    Integer limit = options.maxOutputTokens();
    return limit != null && budget >= limit ? limit - 1 : budget;
  }

  static long maxTokens(RequestOptions options, @Nullable Integer budget, long defaultMaxTokens) {
    if (options.maxOutputTokens() != null) {
      return options.maxOutputTokens();
    }
    return budget == null ? defaultMaxTokens : budget + defaultMaxTokens;
  }

  /**
   * The features the request uses with values the API refuses: a temperature above 1 (its range is
   * 0 to 1); with thinking on, a temperature other than 1 or any top_k, a top_p below 0.95 and a
   * forced tool call (the API's rules for extended thinking); a budget squeezed below 1,024 by the
   * output limit; an image's OpenAI {@code detail} of low or high (no such control) or an inline
   * type other than JPEG, PNG, GIF or WebP; and a strict tool (structured tool inputs are not in
   * the stable API).
   */
  static Set<Feature> cannotHonour(LlmRequest request) {
    RequestOptions options = request.options();
    Set<Feature> refused = EnumSet.noneOf(Feature.class);
    if (options.temperature() != null && options.temperature() > 1) {
      refused.add(Feature.TEMPERATURE);
    }
    Integer budget = budget(options);
    if (budget != null) {
      if (budget < RequestOptions.MIN_THINKING_BUDGET) {
        refused.add(Feature.REASONING);
      }
      if (options.temperature() != null && options.temperature() != 1.0) {
        // 1 is the default, which the API takes with thinking (Claude Code sends it).
        refused.add(Feature.TEMPERATURE);
      }
      if (options.topK() != null) {
        refused.add(Feature.TOP_K);
      }
      if (options.topP() != null && options.topP() < 0.95) {
        refused.add(Feature.TOP_P);
      }
      ToolChoice.Mode mode = request.toolChoice().mode();
      if (mode == ToolChoice.Mode.REQUIRED || mode == ToolChoice.Mode.FUNCTION) {
        refused.add(Feature.TOOL_CHOICE);
      }
    }
    for (LlmRequest.ChatMessage message : request.messages()) {
      for (ContentPart part : message.parts()) {
        if (part instanceof ContentPart.Image image
            && ((image.detail() != null && !image.detail().equals("auto"))
                || (image.inline() && !MEDIA_TYPES.contains(image.mediaType())))) {
          refused.add(Feature.IMAGES);
        }
      }
    }
    if (request.tools().stream().anyMatch(ToolSpec::strict)) {
      refused.add(Feature.TOOLS);
    }
    refused.addAll(JsonFormatTool.cannotHonour(request, budget != null));
    return refused;
  }
}
