package dev.grizz.engine.event;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The Lua scripts of the Redis event log: each runs in one round trip, atomically in Redis. */
final class RedisScripts {

  private RedisScripts() {}

  /**
   * XADD, returning the id that was last in the stream before it (empty when none) and the new id,
   * in one step so no other pod's append falls between the two. With a floor (ARGV[2], the last id
   * this pod appended, perhaps to PostgreSQL while Redis was away) the new id is above it even if
   * Redis's clock is behind it; deciding that here, not in the caller, keeps two pods appending in
   * the same millisecond from asking for the same explicit id.
   *
   * <p>With a step's fence key (KEYS[2]) the append is an attempt's (ARGV[5]): refused ({@code
   * !lost}) when the fence is higher, written when it is equal. A fence that is lower or missing (a
   * first append, or Redis lost its keys) is raised only when the caller may (ARGV[6] = 1, with
   * ARGV[7] its time to live in ms); otherwise the reply {@code !unconfirmed} sends the caller to
   * PostgreSQL to learn whether the attempt still holds the step. In the script, so a takeover's
   * raise and a stalled worker's append are one before the other, never interleaved.
   */
  static final String APPEND =
      """
      if KEYS[2] then
        local attempt = tonumber(ARGV[5])
        local fence = tonumber(redis.call('GET', KEYS[2]) or '0')
        if fence > attempt then return {'!lost'} end
        if fence < attempt then
          if ARGV[6] ~= '1' then return {'!unconfirmed'} end
          redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[7])
        end
      end
      local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
      local previous = ''
      if #last > 0 then previous = last[1][1] end
      local id = '*'
      if ARGV[2] ~= '' then
        local fms, fseq = string.match(ARGV[2], '^(%d+)-(%d+)$')
        fms = tonumber(fms)
        fseq = tonumber(fseq)
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        if now <= fms then
          local ahead = false
          if previous ~= '' then
            local lms, lseq = string.match(previous, '^(%d+)-(%d+)$')
            lms = tonumber(lms)
            lseq = tonumber(lseq)
            ahead = lms > fms or (lms == fms and lseq > fseq)
          end
          if not ahead then id = string.format('%.0f-%.0f', fms, fseq + 1) end
        end
      end
      local added = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], id, ARGV[3], ARGV[4])
      return {previous, added}
      """;

  /** Raises a step's fence to ARGV[1] (never lowers it); 0 when it is higher already. */
  static final String RAISE =
      """
      local attempt = tonumber(ARGV[1])
      local fence = tonumber(redis.call('GET', KEYS[1]) or '0')
      if fence > attempt then return 0 end
      if fence < attempt then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
      return 1
      """;

  /** The append script, run by its digest (EVALSHA: one small command per event). */
  static final class Append {

    private volatile @Nullable String digest;

    List<Object> run(RedisCommands<String, String> commands, String[] keys, String... args) {
      String loaded = digest;
      if (loaded != null) {
        try {
          return commands.evalsha(loaded, ScriptOutputType.MULTI, keys, args);
        } catch (RedisNoScriptException flushedOrRestarted) {
          // loaded again below
        }
      }
      loaded = commands.scriptLoad(APPEND);
      digest = loaded;
      return commands.evalsha(loaded, ScriptOutputType.MULTI, keys, args);
    }
  }
}
