package dev.grizz.engine.security;

import java.util.Locale;

/** The kinds of user, as the users table spells them. */
public enum UserKind {
  ANONYMOUS,
  USER,
  ADMIN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static UserKind fromWire(String kind) {
    return valueOf(kind.toUpperCase(Locale.ROOT));
  }
}
