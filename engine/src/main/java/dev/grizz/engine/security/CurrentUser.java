package dev.grizz.engine.security;

import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Who the caller is. Authentication has not landed yet, so every caller is the built-in local user
 * that the first migration creates.
 */
@Service
public class CurrentUser {

  /** The built-in local user's id (a fixed UUIDv7 seeded by V1__foundation.sql). */
  public static final UUID LOCAL_USER_ID = UUID.fromString("00000000-0000-7000-8000-000000000001");

  public UUID id() {
    return LOCAL_USER_ID;
  }
}
