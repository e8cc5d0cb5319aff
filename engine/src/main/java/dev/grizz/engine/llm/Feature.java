package dev.grizz.engine.llm;

/**
 * An optional thing a request may ask of a model. A provider says which it honours for a model
 * ({@link LlmProvider#supports}); the router never sends a request to a candidate that cannot
 * honour all it uses, and refuses the request when none can (unless dropping was opted into).
 * {@code openAiParam} is the Chat Completions field that carries it, for errors in OpenAI's shape.
 */
public enum Feature {
  TOOLS("tools"),
  TOOL_CHOICE("tool_choice"),
  PARALLEL_TOOL_CALLS("parallel_tool_calls"),
  IMAGES("messages"),
  TEMPERATURE("temperature"),
  TOP_P("top_p"),
  TOP_K("top_k"),
  MAX_OUTPUT_TOKENS("max_completion_tokens"),
  STOP("stop"),
  SEED("seed"),
  PRESENCE_PENALTY("presence_penalty"),
  FREQUENCY_PENALTY("frequency_penalty"),
  LOGIT_BIAS("logit_bias"),
  N("n"),
  USER("user"),
  LOGPROBS("logprobs"),
  REASONING("reasoning_effort"),
  JSON_OBJECT("response_format"),
  JSON_SCHEMA("response_format");

  private final String openAiParam;

  Feature(String openAiParam) {
    this.openAiParam = openAiParam;
  }

  public String openAiParam() {
    return openAiParam;
  }
}
