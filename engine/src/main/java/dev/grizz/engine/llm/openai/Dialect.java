package dev.grizz.engine.llm.openai;

import dev.grizz.engine.llm.Feature;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where one Chat Completions server departs from OpenAI's own: the names of a few fields, the
 * spelling of a forced tool call, and which optional features it takes at all. An adapter claims
 * (in {@code supports}) only what its dialect maps; {@code n}, {@code logprobs} and {@code top_k}
 * are claimed by none, as the engine cannot relay several choices or log probabilities yet.
 */
public enum Dialect {

  /** OpenAI's API itself (or a gateway in front of it, serving the models listed for it). */
  OPENAI(
      "max_completion_tokens",
      "seed",
      "required",
      false,
      EnumSet.of(
          Feature.TOOLS,
          Feature.TOOL_CHOICE,
          Feature.PARALLEL_TOOL_CALLS,
          Feature.IMAGES,
          Feature.TEMPERATURE,
          Feature.TOP_P,
          Feature.MAX_OUTPUT_TOKENS,
          Feature.STOP,
          Feature.SEED,
          Feature.PRESENCE_PENALTY,
          Feature.FREQUENCY_PENALTY,
          Feature.LOGIT_BIAS,
          Feature.USER,
          Feature.REASONING,
          Feature.JSON_OBJECT,
          Feature.JSON_SCHEMA)),

  /**
   * Mistral's API (api.mistral.ai/v1): {@code max_tokens}, {@code random_seed}, {@code "any"} for a
   * required tool call; it has no {@code logit_bias} and no {@code user}. It takes only tool-call
   * ids of exactly 9 letters and digits, so others (OpenAI's {@code call_…}, from a conversation
   * another provider answered) are sent as ids made from them (see {@link #toolCallId}). Its
   * reasoning models stream their thinking as {@code thinking} parts of {@code delta.content} (see
   * {@link CompletionChunks}).
   */
  MISTRAL(
      "max_tokens",
      "random_seed",
      "any",
      true,
      EnumSet.of(
          Feature.TOOLS,
          Feature.TOOL_CHOICE,
          Feature.PARALLEL_TOOL_CALLS,
          Feature.IMAGES,
          Feature.TEMPERATURE,
          Feature.TOP_P,
          Feature.MAX_OUTPUT_TOKENS,
          Feature.STOP,
          Feature.SEED,
          Feature.PRESENCE_PENALTY,
          Feature.FREQUENCY_PENALTY,
          Feature.REASONING,
          Feature.JSON_OBJECT,
          Feature.JSON_SCHEMA)),

  /**
   * A self-hosted or other compatible server (vLLM, Ollama, LM Studio, llama.cpp): the set most of
   * them take, with the older {@code max_tokens} many of them know instead of {@code
   * max_completion_tokens}. Not {@code parallel_tool_calls}, {@code logit_bias}, {@code user} or
   * {@code reasoning_effort}, which many ignore or refuse. The operator cannot yet narrow or widen
   * this per server; the catalog can still deny features per model.
   */
  COMPATIBLE(
      "max_tokens",
      "seed",
      "required",
      false,
      EnumSet.of(
          Feature.TOOLS,
          Feature.TOOL_CHOICE,
          Feature.IMAGES,
          Feature.TEMPERATURE,
          Feature.TOP_P,
          Feature.MAX_OUTPUT_TOKENS,
          Feature.STOP,
          Feature.SEED,
          Feature.PRESENCE_PENALTY,
          Feature.FREQUENCY_PENALTY,
          Feature.JSON_OBJECT,
          Feature.JSON_SCHEMA));

  private final String maxTokensField;
  private final String seedField;
  private final String requiredToolChoice;
  private final boolean nineCharToolCallIds;
  private final Set<Feature> features;

  private static final String ALPHANUMERIC =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  Dialect(
      String maxTokensField,
      String seedField,
      String requiredToolChoice,
      boolean nineCharToolCallIds,
      Set<Feature> features) {
    this.maxTokensField = maxTokensField;
    this.seedField = seedField;
    this.requiredToolChoice = requiredToolChoice;
    this.nineCharToolCallIds = nineCharToolCallIds;
    this.features = java.util.Collections.unmodifiableSet(features);
  }

  /** The field that caps the answer's length. */
  String maxTokensField() {
    return maxTokensField;
  }

  /** The field that carries the sampling seed. */
  String seedField() {
    return seedField;
  }

  /** The {@code tool_choice} value that requires some tool call. */
  String requiredToolChoice() {
    return requiredToolChoice;
  }

  /**
   * A tool call's id as this server takes it. For Mistral, an id that is not 9 letters and digits
   * becomes 9 base-62 digits of a 64-bit FNV-1a hash of it: the same id always maps to the same, so
   * a call and its result still match, and two ids of one conversation collide with a chance of
   * about 1 in 10^16.
   */
  String toolCallId(String id) {
    if (!nineCharToolCallIds || isNineAlphanumerics(id)) {
      return id;
    }
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      hash = (hash ^ id.charAt(i)) * 0x100000001b3L;
    }
    char[] digits = new char[9];
    for (int i = 0; i < digits.length; i++) {
      digits[i] = ALPHANUMERIC.charAt((int) Long.remainderUnsigned(hash, 62));
      hash = Long.divideUnsigned(hash, 62);
    }
    return new String(digits);
  }

  private static boolean isNineAlphanumerics(String id) {
    if (id.length() != 9) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (ALPHANUMERIC.indexOf(id.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The optional features this dialect's requests carry. */
  public Set<Feature> features() {
    return features;
  }
}
