package dev.grizz.engine.security;

import dev.grizz.engine.event.RedisGate;
import io.lettuce.core.SetArgs;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Nonces of signed requests, remembered for as long as a request with them could still be accepted,
 * so a replayed request is refused. Redis ({@code SET NX EX}) while it is up; PostgreSQL while it
 * is down.
 */
@Service
class Nonces {

  private final RedisGate redis;
  private final JdbcClient jdbc;
  private final Clock clock;

  Nonces(RedisGate redis, JdbcClient jdbc, Clock clock) {
    this.redis = redis;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** True the first time this key uses this nonce within {@code ttl}; false for a replay. */
  boolean firstUse(UUID keyId, String nonce, Duration ttl) {
    String redisKey = "grizz:nonce:" + keyId + ":" + nonce;
    var stored =
        redis.tryRun(
            r -> r.set(redisKey, "1", SetArgs.Builder.nx().ex(Math.max(1, ttl.toSeconds()))));
    if (redis.up() || stored.isPresent()) {
      // SET NX answers OK when it set the key and nothing (null) when the key was there.
      return stored.isPresent();
    }
    Instant now = clock.instant();
    jdbc.sql("delete from request_nonces where expires_at < :now")
        .param("now", Timestamp.from(now))
        .update();
    return jdbc.sql(
                """
                insert into request_nonces (key_id, nonce, expires_at) values (:key, :nonce, :expires)
                on conflict do nothing
                """)
            .param("key", keyId)
            .param("nonce", nonce)
            .param("expires", Timestamp.from(now.plus(ttl)))
            .update()
        == 1;
  }
}
