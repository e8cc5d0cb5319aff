package dev.grizz.engine.llm;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Sampling, limits and format of a request. A value not given is null (or empty), never zero: the
 * vendor's default then applies. Values are checked here, once, whichever API they came through:
 * one out of range is an {@link InvalidRequestException} naming it. The ranges are OpenAI's, the
 * widest any supported vendor takes; a vendor with a narrower range refuses at its adapter's {@code
 * cannotHonour} (see {@link LlmProvider#cannotHonour}). {@code dropUnsupported} is the caller's
 * opt-in (LiteLLM's {@code drop_params}) to have what the routed model cannot honour left out
 * rather than refused.
 */
public record RequestOptions(
    @Nullable Double temperature,
    @Nullable Double topP,
    @Nullable Integer topK,
    @Nullable Integer maxOutputTokens,
    List<String> stop,
    @Nullable Long seed,
    @Nullable Double presencePenalty,
    @Nullable Double frequencyPenalty,
    Map<String, Integer> logitBias,
    @Nullable Integer n,
    @Nullable String user,
    @Nullable ReasoningEffort reasoningEffort,
    @Nullable Integer thinkingBudget,
    boolean logprobs,
    @Nullable Integer topLogprobs,
    @Nullable Boolean parallelToolCalls,
    ResponseFormat responseFormat,
    boolean dropUnsupported) {

  public static final RequestOptions DEFAULTS = builder().build();

  /** At most this many stop sequences (OpenAI's limit). */
  public static final int MAX_STOP_SEQUENCES = 4;

  /** The smallest thinking budget Anthropic takes. */
  public static final int MIN_THINKING_BUDGET = 1024;

  public RequestOptions {
    stop = List.copyOf(stop);
    logitBias = Map.copyOf(logitBias);
    range(Feature.TEMPERATURE, temperature, 0, 2);
    range(Feature.TOP_P, topP, 0, 1);
    range(Feature.PRESENCE_PENALTY, presencePenalty, -2, 2);
    range(Feature.FREQUENCY_PENALTY, frequencyPenalty, -2, 2);
    atLeast(Feature.TOP_K, topK, 1);
    atLeast(Feature.MAX_OUTPUT_TOKENS, maxOutputTokens, 1);
    if (n != null && (n < 1 || n > 128)) {
      throw new InvalidRequestException(Feature.N, "n must be between 1 and 128");
    }
    if (stop.size() > MAX_STOP_SEQUENCES || stop.stream().anyMatch(String::isEmpty)) {
      throw new InvalidRequestException(
          Feature.STOP, "stop is at most " + MAX_STOP_SEQUENCES + " non-empty strings");
    }
    for (Map.Entry<String, Integer> bias : logitBias.entrySet()) {
      if (!bias.getKey().matches("[0-9]{1,9}") || Math.abs(bias.getValue()) > 100) {
        throw new InvalidRequestException(
            Feature.LOGIT_BIAS, "logit_bias maps token ids to values between -100 and 100");
      }
    }
    if (topLogprobs != null && (topLogprobs < 0 || topLogprobs > 20)) {
      throw new InvalidRequestException(
          Feature.LOGPROBS, "top_logprobs", "top_logprobs must be between 0 and 20");
    }
    if (topLogprobs != null && !logprobs) {
      throw new InvalidRequestException(
          Feature.LOGPROBS, "top_logprobs", "top_logprobs needs logprobs set to true");
    }
    if (thinkingBudget != null && thinkingBudget < MIN_THINKING_BUDGET) {
      throw new InvalidRequestException(
          Feature.REASONING, "a thinking budget is at least " + MIN_THINKING_BUDGET + " tokens");
    }
    if (thinkingBudget != null && maxOutputTokens != null && thinkingBudget >= maxOutputTokens) {
      throw new InvalidRequestException(
          Feature.REASONING, "a thinking budget must be below the output token limit");
    }
  }

  private static void range(Feature feature, @Nullable Double value, double min, double max) {
    if (value != null && !(value >= min && value <= max)) {
      throw new InvalidRequestException(
          feature, feature.openAiParam() + " must be between " + (int) min + " and " + (int) max);
    }
  }

  private static void atLeast(Feature feature, @Nullable Integer value, int min) {
    if (value != null && value < min) {
      throw new InvalidRequestException(
          feature, feature.openAiParam() + " must be at least " + min);
    }
  }

  /** The features these options use. {@code n} of 1 and {@code logprobs: false} use none. */
  public Set<Feature> features() {
    Set<Feature> used = EnumSet.noneOf(Feature.class);
    addIf(used, Feature.TEMPERATURE, temperature != null);
    addIf(used, Feature.TOP_P, topP != null);
    addIf(used, Feature.TOP_K, topK != null);
    addIf(used, Feature.MAX_OUTPUT_TOKENS, maxOutputTokens != null);
    addIf(used, Feature.STOP, !stop.isEmpty());
    addIf(used, Feature.SEED, seed != null);
    addIf(used, Feature.PRESENCE_PENALTY, presencePenalty != null);
    addIf(used, Feature.FREQUENCY_PENALTY, frequencyPenalty != null);
    addIf(used, Feature.LOGIT_BIAS, !logitBias.isEmpty());
    addIf(used, Feature.N, n != null && n > 1);
    addIf(used, Feature.USER, user != null);
    addIf(used, Feature.REASONING, reasoningEffort != null || thinkingBudget != null);
    addIf(used, Feature.LOGPROBS, logprobs);
    addIf(used, Feature.PARALLEL_TOOL_CALLS, parallelToolCalls != null);
    addIf(used, Feature.JSON_OBJECT, responseFormat.kind() == ResponseFormat.Kind.JSON_OBJECT);
    addIf(used, Feature.JSON_SCHEMA, responseFormat.kind() == ResponseFormat.Kind.JSON_SCHEMA);
    return used;
  }

  private static void addIf(Set<Feature> used, Feature feature, boolean present) {
    if (present) {
      used.add(feature);
    }
  }

  /** These options without the given features. */
  RequestOptions without(Set<Feature> dropped) {
    Builder kept = toBuilder();
    for (Feature feature : dropped) {
      switch (feature) {
        case TEMPERATURE -> kept.temperature = null;
        case TOP_P -> kept.topP = null;
        case TOP_K -> kept.topK = null;
        case MAX_OUTPUT_TOKENS -> {
          kept.maxOutputTokens = null;
          kept.thinkingBudget = null;
        }
        case STOP -> kept.stop = List.of();
        case SEED -> kept.seed = null;
        case PRESENCE_PENALTY -> kept.presencePenalty = null;
        case FREQUENCY_PENALTY -> kept.frequencyPenalty = null;
        case LOGIT_BIAS -> kept.logitBias = Map.of();
        case N -> kept.n = null;
        case USER -> kept.user = null;
        case REASONING -> {
          kept.reasoningEffort = null;
          kept.thinkingBudget = null;
        }
        case LOGPROBS -> {
          kept.logprobs = false;
          kept.topLogprobs = null;
        }
        case PARALLEL_TOOL_CALLS -> kept.parallelToolCalls = null;
        case JSON_OBJECT, JSON_SCHEMA -> kept.responseFormat = ResponseFormat.TEXT;
        case TOOLS, TOOL_CHOICE, IMAGES -> {
          // not options: the request drops these
        }
      }
    }
    return kept.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.temperature = temperature;
    b.topP = topP;
    b.topK = topK;
    b.maxOutputTokens = maxOutputTokens;
    b.stop = stop;
    b.seed = seed;
    b.presencePenalty = presencePenalty;
    b.frequencyPenalty = frequencyPenalty;
    b.logitBias = logitBias;
    b.n = n;
    b.user = user;
    b.reasoningEffort = reasoningEffort;
    b.thinkingBudget = thinkingBudget;
    b.logprobs = logprobs;
    b.topLogprobs = topLogprobs;
    b.parallelToolCalls = parallelToolCalls;
    b.responseFormat = responseFormat;
    b.dropUnsupported = dropUnsupported;
    return b;
  }

  /** How hard a reasoning model thinks before it answers (OpenAI's {@code reasoning_effort}). */
  public enum ReasoningEffort {
    NONE,
    MINIMAL,
    LOW,
    MEDIUM,
    HIGH;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses OpenAI's spelling; null for anything else. */
    public static @Nullable ReasoningEffort parse(String text) {
      for (ReasoningEffort effort : values()) {
        if (effort.wire().equals(text)) {
          return effort;
        }
      }
      return null;
    }
  }

  /** Builds options field by field; unset fields stay unset. */
  public static final class Builder {
    private @Nullable Double temperature;
    private @Nullable Double topP;
    private @Nullable Integer topK;
    private @Nullable Integer maxOutputTokens;
    private List<String> stop = List.of();
    private @Nullable Long seed;
    private @Nullable Double presencePenalty;
    private @Nullable Double frequencyPenalty;
    private Map<String, Integer> logitBias = Map.of();
    private @Nullable Integer n;
    private @Nullable String user;
    private @Nullable ReasoningEffort reasoningEffort;
    private @Nullable Integer thinkingBudget;
    private boolean logprobs;
    private @Nullable Integer topLogprobs;
    private @Nullable Boolean parallelToolCalls;
    private ResponseFormat responseFormat = ResponseFormat.TEXT;
    private boolean dropUnsupported;

    private Builder() {}

    public Builder temperature(@Nullable Double value) {
      temperature = value;
      return this;
    }

    public Builder topP(@Nullable Double value) {
      topP = value;
      return this;
    }

    public Builder topK(@Nullable Integer value) {
      topK = value;
      return this;
    }

    public Builder maxOutputTokens(@Nullable Integer value) {
      maxOutputTokens = value;
      return this;
    }

    public Builder stop(List<String> value) {
      stop = value;
      return this;
    }

    public Builder seed(@Nullable Long value) {
      seed = value;
      return this;
    }

    public Builder presencePenalty(@Nullable Double value) {
      presencePenalty = value;
      return this;
    }

    public Builder frequencyPenalty(@Nullable Double value) {
      frequencyPenalty = value;
      return this;
    }

    public Builder logitBias(Map<String, Integer> value) {
      logitBias = value;
      return this;
    }

    public Builder n(@Nullable Integer value) {
      n = value;
      return this;
    }

    public Builder user(@Nullable String value) {
      user = value;
      return this;
    }

    public Builder reasoningEffort(@Nullable ReasoningEffort value) {
      reasoningEffort = value;
      return this;
    }

    public Builder thinkingBudget(@Nullable Integer value) {
      thinkingBudget = value;
      return this;
    }

    public Builder logprobs(boolean value) {
      logprobs = value;
      return this;
    }

    public Builder topLogprobs(@Nullable Integer value) {
      topLogprobs = value;
      return this;
    }

    public Builder parallelToolCalls(@Nullable Boolean value) {
      parallelToolCalls = value;
      return this;
    }

    public Builder responseFormat(ResponseFormat value) {
      responseFormat = value;
      return this;
    }

    public Builder dropUnsupported(boolean value) {
      dropUnsupported = value;
      return this;
    }

    public RequestOptions build() {
      return new RequestOptions(
          temperature,
          topP,
          topK,
          maxOutputTokens,
          stop,
          seed,
          presencePenalty,
          frequencyPenalty,
          logitBias,
          n,
          user,
          reasoningEffort,
          thinkingBudget,
          logprobs,
          topLogprobs,
          parallelToolCalls,
          responseFormat,
          dropUnsupported);
    }
  }
}
