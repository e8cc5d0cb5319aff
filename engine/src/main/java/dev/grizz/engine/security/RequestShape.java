package dev.grizz.engine.security;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;

/**
 * Checks of a request's method, query string and content type that the servlet container and Spring
 * would otherwise fail on deep inside a handler, as a 500: Tomcat throws when a handler asks for a
 * parameter whose escapes do not decode, Spring when a content type is a wildcard or does not
 * parse, and unknown methods reach a servlet that answers 501.
 */
final class RequestShape {

  static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

  private RequestShape() {}

  /** Why the raw query string cannot be decoded (bad escape, invalid UTF-8, NUL), or null. */
  static @Nullable String queryProblem(@Nullable String query) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    ByteBuffer bytes = ByteBuffer.allocate(query.length());
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c == '%') {
        int high = i + 2 < query.length() ? Character.digit(query.charAt(i + 1), 16) : -1;
        int low = i + 2 < query.length() ? Character.digit(query.charAt(i + 2), 16) : -1;
        if (high < 0 || low < 0) {
          return "The query string holds an invalid percent-escape.";
        }
        bytes.put((byte) (high * 16 + low));
        i += 2;
      } else if (c > 0x7e || c < 0x20) {
        return "The query string holds a character that must be percent-encoded.";
      } else {
        bytes.put((byte) c);
      }
    }
    bytes.flip();
    try {
      String decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes)
              .toString();
      if (decoded.indexOf('\0') >= 0) {
        return "The query string must not hold the NUL character (%00).";
      }
    } catch (CharacterCodingException e) {
      return "The query string's escapes do not decode as UTF-8.";
    }
    return null;
  }

  /** Why the Content-Type header is not one a handler could read, or null (also when absent). */
  static @Nullable String contentTypeProblem(@Nullable String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      if (type.isWildcardType() || type.isWildcardSubtype()) {
        return "Content-Type must name a type, not a wildcard; send application/json.";
      }
      type.getCharset(); // an unknown charset name throws here
      return null;
    } catch (IllegalArgumentException e) { // InvalidMediaTypeException, or an unknown charset
      return "Content-Type '" + contentType + "' cannot be read; send application/json.";
    }
  }
}
