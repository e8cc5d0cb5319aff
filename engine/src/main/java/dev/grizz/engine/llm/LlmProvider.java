package dev.grizz.engine.llm;

import java.util.List;
import java.util.Set;

/**
 * One upstream that completes chats. An adapter maps our request to the vendor's, the vendor's
 * stream to {@link DeltaSink} calls, and the vendor's errors to {@link LlmOutcome.Failed}; timing,
 * cost and routing wrap it in {@link LlmRouter}.
 */
public interface LlmProvider {

  /** Short stable name shown in steps, usage rows and logs, e.g. {@code demo} or {@code openai}. */
  String name();

  /** The models this provider serves; the first is its default. */
  List<String> models();

  /** True for a self-hosted server that serves whatever model it is asked for by name. */
  default boolean servesAnyModel() {
    return false;
  }

  /**
   * The optional features this provider honours for {@code model}: the router sends it only
   * requests that use no others. Its adapter must map each one it claims to the vendor's request (a
   * plain chat uses none).
   */
  default Set<Feature> supports(String model) {
    return Set.of();
  }

  /**
   * The features {@code request} uses with values this provider cannot honour for its model, though
   * it {@link #supports} the features as such: a vendor whose range is narrower than the engine's
   * (Anthropic's temperature stops at 1), or whose rules forbid a combination. The router treats
   * them as unsupported for this candidate: it tries another, or refuses, or drops them as opted
   * into. None by default.
   */
  default Set<Feature> cannotHonour(LlmRequest request) {
    return Set.of();
  }

  /**
   * Streams one completion: calls {@code sink} for each piece of text as it arrives, then returns
   * how it ended. Blocks the calling (virtual) thread. Must return promptly with {@link
   * LlmOutcome.Cancelled} once {@code cancel} fires.
   */
  LlmOutcome stream(LlmRequest request, DeltaSink sink, CancelSignal cancel);
}
