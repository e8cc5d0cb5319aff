package dev.grizz.engine.codeinterpreter;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sandbox seconds per user and day (UTC), kept in PostgreSQL so every pod counts the same. */
@Repository
class SandboxUsage {

  private final JdbcClient jdbc;
  private final Clock clock;

  SandboxUsage(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** Seconds the user used today. */
  double usedToday(UUID userId) {
    return jdbc.sql("select seconds from sandbox_usage where user_id = :u and day = :d")
        .param("u", userId)
        .param("d", today())
        .query(Double.class)
        .optional()
        .orElse(0.0);
  }

  void add(UUID userId, Duration took) {
    jdbc.sql(
            """
            insert into sandbox_usage (user_id, day, seconds) values (:u, :d, :s)
            on conflict (user_id, day) do update set seconds = sandbox_usage.seconds + :s
            """)
        .param("u", userId)
        .param("d", today())
        .param("s", took.toNanos() / 1e9)
        .update();
  }
}
