package dev.grizz.engine.api;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A failure as the engine reports it, before any API's shape: the status, a stable code, plain
 * words, the request field at fault when one is ({@code param}), data a client can act on ({@code
 * details}), and headers (Retry-After, rate limits, WWW-Authenticate). {@link ErrorCatalog} makes
 * one from any exception; REST, OpenAI-, Anthropic-shaped and WebSocket errors only render it.
 */
record Problem(
    HttpStatus status,
    String code,
    String message,
    @Nullable String param,
    @Nullable Map<String, Object> details,
    HttpHeaders headers) {

  Problem(HttpStatus status, String code, String message) {
    this(status, code, message, null, null, HttpHeaders.EMPTY);
  }

  Problem withParam(@Nullable String field) {
    return new Problem(status, code, message, field, details, headers);
  }

  Problem withDetails(Map<String, Object> data) {
    return new Problem(status, code, message, param, data, headers);
  }

  Problem withHeaders(HttpHeaders more) {
    HttpHeaders all = new HttpHeaders();
    all.addAll(headers);
    all.addAll(more);
    return new Problem(status, code, message, param, details, all);
  }
}
