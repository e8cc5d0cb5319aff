package dev.grizz.engine.security;

import org.jspecify.annotations.Nullable;

/**
 * Whether a request path is in its one canonical spelling. Authorization reads the raw path the
 * client sent while the router reads Tomcat's decoded and normalised one; the two agree only when
 * there is nothing to decode or normalise. So a path with a {@code ;} parameter, an empty or dot
 * segment, a backslash, or a percent-escape of a character that needs none ({@code %61} for {@code
 * a}, and {@code %2F}, {@code %2E}, {@code %3B}, {@code %5C}, {@code %25}) is refused before
 * anything else reads it. Escapes of characters a path cannot hold plainly ({@code %5B} for {@code
 * [}, {@code %20}, UTF-8 bytes) are canonical and allowed: the web UI's asset names use them. The
 * one exception is an escaped {@code /} in a model id ({@link #modelIdSlash}).
 */
final class CanonicalPath {

  private CanonicalPath() {}

  /** Why {@code raw} is not canonical, in plain words, or null when it is. */
  static @Nullable String problem(String raw) {
    if (raw.isEmpty() || raw.charAt(0) != '/') {
      return "The path must start with '/'.";
    }
    int segmentStart = 1;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == ';') {
        return "The path must not contain ';'.";
      }
      if (c == '\\' || c < 0x21 || c >= 0x7f) {
        return "The path holds a character that must be percent-encoded.";
      }
      if (c == '%') {
        int decoded = hexByte(raw, i);
        if (decoded < 0) {
          return "The path holds an invalid percent-escape.";
        }
        if (decoded == '/' && modelIdSlash(raw, i)) {
          i += 2;
          continue;
        }
        if (needsNoEscape((char) decoded)) {
          return "The path escapes a character that needs no escape ('%"
              + raw.substring(i + 1, i + 3)
              + "'); send it as is.";
        }
        i += 2;
      } else if (c == '/' && i > 0) {
        String segment = raw.substring(segmentStart, i);
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          return "The path must not contain empty, '.' or '..' segments.";
        }
        segmentStart = i + 1;
      }
    }
    String last = raw.substring(segmentStart);
    if (last.equals(".") || last.equals("..")) {
      return "The path must not contain empty, '.' or '..' segments.";
    }
    return null;
  }

  /**
   * Whether the {@code %2F} at {@code percent} is a {@code /} inside a model id: in the last
   * segment of {@code /v1/models/{id}}, the one place an escaped slash is canonical. OpenAI's SDKs
   * escape a path parameter's {@code /} there ({@code openai/gpt-4o} as {@code openai%2Fgpt-4o}),
   * and the router decodes it within that segment (Tomcat passes it through undecoded, see {@link
   * WebSecurityConfig}), so authorization and routing still read the same path. Anywhere else an
   * escaped slash could make the two disagree, and stays refused.
   */
  private static boolean modelIdSlash(String raw, int percent) {
    return raw.startsWith(MODELS)
        && percent >= MODELS.length()
        && raw.indexOf('/', MODELS.length()) < 0;
  }

  private static final String MODELS = "/v1/models/";

  /**
   * Characters that are either unreserved (so escaping them is never needed) or that change how the
   * server splits and normalises the path once decoded.
   */
  private static boolean needsNoEscape(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~/;%\\".indexOf(c) >= 0;
  }

  private static int hexByte(String raw, int percent) {
    if (percent + 2 >= raw.length()) {
      return -1;
    }
    int high = Character.digit(raw.charAt(percent + 1), 16);
    int low = Character.digit(raw.charAt(percent + 2), 16);
    return high < 0 || low < 0 ? -1 : high * 16 + low;
  }
}
