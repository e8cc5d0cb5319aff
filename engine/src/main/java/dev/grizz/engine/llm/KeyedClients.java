package dev.grizz.engine.llm;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A vendor SDK client for the provider's current key: when the key changes (a rotated key file),
 * the next request gets a client built with the new key. Requests already streaming keep the old
 * client, which is left to finish and be collected rather than closed under them.
 */
public final class KeyedClients<C> {

  private record Keyed<C>(@Nullable String key, C client) {}

  private final Supplier<@Nullable String> key;
  private final Function<@Nullable String, C> build;
  private volatile Keyed<C> current;

  public KeyedClients(Supplier<@Nullable String> key, Function<@Nullable String, C> build) {
    this.key = key;
    this.build = build;
    String first = key.get();
    this.current = new Keyed<>(first, build.apply(first));
  }

  /** The client for the key as it is now. */
  public C current() {
    String now = key.get();
    Keyed<C> keyed = current;
    if (!Objects.equals(keyed.key(), now)) {
      synchronized (this) {
        keyed = current;
        if (!Objects.equals(keyed.key(), now)) {
          keyed = new Keyed<>(now, build.apply(now));
          current = keyed;
        }
      }
    }
    return keyed.client();
  }
}
