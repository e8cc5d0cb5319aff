package dev.grizz.engine.responses;

import dev.grizz.engine.responses.ResponsesErrors.RefusedException;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The Responses API's {@code include}: the extra data a request asks for, and what Grizz can give.
 */
final class ResponsesInclude {

  /** The values Grizz honours: see {@link #check}. */
  private static final List<String> INCLUDABLE = List.of("message.input_image.image_url");

  private ResponsesInclude() {}

  /**
   * {@code include} asks for extra data in the response. Grizz honours {@code
   * message.input_image.image_url}: the input items it lists keep every image URL as sent. Every
   * other value OpenAI documents asks for data Grizz cannot produce, and is refused by name: {@code
   * message.output_text.logprobs} (no upstream's logprobs are relayed), {@code
   * reasoning.encrypted_content} (only OpenAI can encrypt its reasoning; Grizz keeps the context
   * itself, so use {@code store} and {@code previous_response_id}), and the results of tools Grizz
   * does not run (file search, web search, code interpreter, computer use).
   */
  static void check(JsonNode include) {
    if (include.isMissingNode() || include.isNull()) {
      return;
    }
    if (!include.isArray()) {
      throw RefusedException.invalid("include", "include is an array of strings.");
    }
    for (JsonNode value : include) {
      if (!value.isString()) {
        throw RefusedException.invalid("include", "include is an array of strings.");
      }
      String asked = value.asString();
      if (!INCLUDABLE.contains(asked)) {
        throw RefusedException.unsupported(
            "include",
            "Grizz cannot include '"
                + asked
                + "'; of include's values it supports only "
                + String.join(", ", INCLUDABLE)
                + ".");
      }
    }
  }
}
