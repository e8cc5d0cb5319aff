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
}
