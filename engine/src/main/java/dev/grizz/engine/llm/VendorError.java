package dev.grizz.engine.llm;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a vendor said went wrong: its error code when it gives one, and its message.
 *
 * @param code the value of the error object's code field ({@code code} at OpenAI, {@code type} at
 *     Anthropic), or null
 */
public record VendorError(@Nullable String code, String message) {

  /** A stream only starts after a success: an error inside it is classified by its words alone. */
  private static final int STREAM_STATUS = 200;

  /**
   * Error types a vendor sends inside a stream for trouble on its side, as the HTTP status each
   * stands for (OpenAI's {@code type}, Anthropic's {@code error.type}): retryable, so the router
   * falls back to another provider when no text has streamed yet.
   */
  private static final Map<String, Integer> VENDOR_SIDE =
      Map.of(
          "server_error", 500,
          "api_error", 500,
          "overloaded_error", 529,
          "timeout_error", 504,
          "rate_limit_error", 429,
          "rate_limit_exceeded", 429);

  /** A proxy's HTML page or a long plain-text body is cut here: enough for an operator. */
  private static final int TEXT_LIMIT = 500;

  /**
   * From an error response's body: the vendor's {@code {"error":{"message":…,<codeField>:…}}}, or
   * failing that the body's own text (a proxy's HTML page, a server's plain-text message).
   */
  public static VendorError fromBody(String body, String codeField) {
    try {
      JsonNode error = JsonMapper.shared().readTree(body).path("error");
      if (error.isObject() || error.isString()) {
        return of(error, codeField);
      }
    } catch (JacksonException notJson) {
      // the text itself is the message
    }
    String text = body.strip();
    return new VendorError(
        null, text.length() <= TEXT_LIMIT ? text : text.substring(0, TEXT_LIMIT) + "…");
  }

  /** From an {@code error} value: an object with a message and maybe a code, or a bare string. */
  public static VendorError of(JsonNode error, String codeField) {
    if (error.isString()) {
      return new VendorError(null, error.stringValue());
    }
    JsonNode code = error.path(codeField);
    if (!code.isString() && !code.isNumber()) {
      // OpenAI's code is often null where its type still says what kind of error it is.
      code = error.path("type");
    }
    return new VendorError(
        code.isString() || code.isNumber() ? code.asString() : null,
        error.path("message").stringValue(error.toString()));
  }

  /** This error, reported inside a stream that had begun, as the attempt's failure. */
  public LlmOutcome.Failed duringStream() {
    int status = code == null ? STREAM_STATUS : VENDOR_SIDE.getOrDefault(code, STREAM_STATUS);
    return UpstreamErrors.fromStatus(status, null, code, message);
  }
}
