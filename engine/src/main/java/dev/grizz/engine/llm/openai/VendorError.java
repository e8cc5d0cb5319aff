package dev.grizz.engine.llm.openai;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a server said went wrong: its error code when it gives one, and its message. */
record VendorError(@Nullable String code, String message) {

  /** A proxy's HTML page or a long plain-text body is cut here: enough for an operator. */
  private static final int TEXT_LIMIT = 500;

  /**
   * From an error response's body: OpenAI's {@code {"error":{"message":…,"code":…}}}, or failing
   * that the body's own text (a proxy's HTML page, a server's plain-text message).
   */
  static VendorError fromBody(String body) {
    try {
      JsonNode error = JsonMapper.shared().readTree(body).path("error");
      if (error.isObject() || error.isString()) {
        return of(error);
      }
    } catch (JacksonException notJson) {
      // the text itself is the message
    }
    String text = body.strip();
    return new VendorError(
        null, text.length() <= TEXT_LIMIT ? text : text.substring(0, TEXT_LIMIT) + "…");
  }

  /** From an {@code error} value: an object with a message and maybe a code, or a bare string. */
  static VendorError of(JsonNode error) {
    if (error.isString()) {
      return new VendorError(null, error.stringValue());
    }
    JsonNode code = error.path("code");
    return new VendorError(
        code.isString() || code.isNumber() ? code.asString() : null,
        error.path("message").stringValue(error.toString()));
  }
}
