package dev.grizz.engine.memory;

import java.util.Locale;
import java.util.Optional;

/** What a user lets the engine do with memories. */
public enum MemoryMode {
  /** The model's proposals are kept at once; memories are recalled. */
  AUTO,
  /** The model's proposals wait for the user's yes; memories are recalled. */
  CONFIRM,
  /** Nothing is proposed or recalled; kept memories stay until the user deletes them. */
  OFF;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<MemoryMode> parse(String value) {
    for (MemoryMode mode : values()) {
      if (mode.wire().equals(value)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
