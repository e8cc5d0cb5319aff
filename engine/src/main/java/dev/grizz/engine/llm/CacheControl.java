package dev.grizz.engine.llm;

import org.jspecify.annotations.Nullable;

/**
 * A prompt-caching breakpoint a client set on a piece of the request (Anthropic's {@code
 * cache_control}: {@code {"type": "ephemeral"}}, with an optional {@code ttl} of {@code 5m} or
 * {@code 1h}). The Anthropic adapter sends it back where it was set; other vendors cache on their
 * own or not at all, and their adapters leave it out: it is a pure caching hint, and dropping it
 * changes what the answer costs, never what it says.
 */
public record CacheControl(@Nullable String ttl) {

  public static final CacheControl EPHEMERAL = new CacheControl(null);

  /**
   * A {@code cache_control} as a client wrote it: {@code {"type": "ephemeral"}}, with an optional
   * {@code ttl} of {@code 5m} or {@code 1h}; null when absent.
   *
   * @throws IllegalArgumentException for anything else (Anthropic's API refuses it too), with a
   *     message to show the client
   */
  public static @Nullable CacheControl read(tools.jackson.databind.JsonNode cache) {
    if (cache.isMissingNode() || cache.isNull()) {
      return null;
    }
    tools.jackson.databind.JsonNode ttl = cache.path("ttl");
    boolean known =
        cache.isObject()
            && "ephemeral".equals(cache.path("type").stringValue(""))
            && cache.propertyNames().stream()
                .allMatch(key -> key.equals("type") || key.equals("ttl"))
            && (ttl.isMissingNode()
                || ttl.isNull()
                || ttl.stringValue("").equals("5m")
                || ttl.stringValue("").equals("1h"));
    if (!known) {
      throw new IllegalArgumentException(
          "cache_control is {\"type\": \"ephemeral\"}, with an optional ttl of 5m or 1h");
    }
    return ttl.isString() ? new CacheControl(ttl.stringValue()) : EPHEMERAL;
  }
}
