package dev.grizz.engine.security;

import dev.grizz.engine.event.RedisGate;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Token buckets (Bucket4j) per caller and per route, kept in Redis so every pod draws from the same
 * bucket; while Redis is down each pod keeps its own buckets, so the limit holds per pod.
 */
@Service
public class RateLimits implements DisposableBean {

  static final Duration WINDOW = Duration.ofMinutes(1);

  /** What a request was allowed, for the {@code RateLimit-*} headers. */
  public record Allowance(long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

    public void applyTo(HttpServletResponse response) {
      response.setHeader("RateLimit-Limit", Long.toString(limit));
      response.setHeader("RateLimit-Remaining", Long.toString(remaining));
      response.setHeader("RateLimit-Reset", Long.toString(resetSeconds));
      if (retryAfterSeconds > 0) {
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
      }
    }

    public Map<String, Object> details() {
      return Map.of(
          "limit", limit,
          "remaining", remaining,
          "reset_seconds", resetSeconds,
          "retry_after_seconds", retryAfterSeconds);
    }
  }

  private record LocalBucket(Bucket bucket, long limit) {}

  private record RemoteBucket(BucketProxy bucket, AtomicReference<Instant> lastUsed) {}

  private final RateLimitSettings settings;
  private final RedisGate redis;
  private final Counter refused;
  private final Map<String, LocalBucket> local = new ConcurrentHashMap<>();
  private final Map<String, RemoteBucket> remote = new ConcurrentHashMap<>();
  private volatile @Nullable StatefulRedisConnection<String, byte[]> connection;
  private volatile @Nullable ProxyManager<String> shared;
  private volatile Instant lastPrune;
  private volatile Instant lastRemotePrune;
  private final Clock clock;

  RateLimits(RateLimitSettings settings, RedisGate redis, MeterRegistry meters, Clock clock) {
    this.settings = settings;
    this.redis = redis;
    this.clock = clock;
    this.lastPrune = clock.instant();
    this.lastRemotePrune = lastPrune;
    this.refused =
        Counter.builder("grizz.rate.limited")
            .description("Requests refused by a rate limit")
            .register(meters);
  }

  /**
   * Takes one chat message from the caller's bucket: the API key's own limit when it has one,
   * otherwise the limit for the caller's kind.
   *
   * @throws RateLimitedException when the bucket is empty
   */
  public Allowance message(Caller caller) {
    if (caller.apiKeyId() != null && caller.keyMessagesPerMinute() != null) {
      return take("msg:key:" + caller.apiKeyId(), caller.keyMessagesPerMinute());
    }
    int limit = caller.anonymous() ? settings.messagesAnonymous() : settings.messagesUser();
    return take("msg:user:" + caller.userId(), limit);
  }

  /** Takes one anonymous session or sign-up from the client address's bucket. */
  public Allowance session(String address) {
    return take("session:" + address, settings.sessionsPerAddress());
  }

  /** Takes one login attempt from the client address's bucket. */
  public Allowance login(String address) {
    return take("login:" + address, settings.loginsPerAddress());
  }

  /** The messages-per-minute limit of a caller without a key of its own. */
  public int messageLimit(Caller caller) {
    return caller.anonymous() ? settings.messagesAnonymous() : settings.messagesUser();
  }

  private Allowance take(String key, long limit) {
    BucketConfiguration configuration =
        BucketConfiguration.builder()
            .addLimit(l -> l.capacity(limit).refillIntervally(limit, WINDOW))
            .build();
    ConsumptionProbe probe = null;
    if (redis.up()) {
      try {
        probe = remote(key + ":" + limit, configuration).tryConsumeAndReturnRemaining(1);
      } catch (RuntimeException e) {
        // A slow answer (a busy Redis, a starved machine) falls back for this request only; only
        // a lost connection marks Redis down for the whole pod.
        if (!timedOut(e)) {
          redis.reportDown(e);
        }
      }
    }
    if (probe == null) {
      pruneLocal();
      LocalBucket bucket =
          local.computeIfAbsent(
              key + ":" + limit,
              k ->
                  new LocalBucket(
                      Bucket.builder()
                          .addLimit(l -> l.capacity(limit).refillIntervally(limit, WINDOW))
                          .build(),
                      limit));
      probe = bucket.bucket().tryConsumeAndReturnRemaining(1);
    }
    long reset = seconds(probe.getNanosToWaitForReset());
    if (!probe.isConsumed()) {
      refused.increment();
      throw new RateLimitedException(
          new Allowance(limit, 0, reset, Math.max(1, seconds(probe.getNanosToWaitForRefill()))));
    }
    return new Allowance(limit, probe.getRemainingTokens(), reset, 0);
  }

  /**
   * The pod's one proxy for a bucket in Redis. Bucket4j updates a bucket in Redis by compare and
   * swap, so requests racing for one bucket (an API key serving many users, say) retried each
   * other's round trips: at 64 concurrent messages on one key taking a token cost 37 ms p50 and 450
   * ms p99. With batching, requests that arrive while one is in flight go to Redis together, as
   * one; that needs the same proxy for every request on the bucket, so proxies are kept, and
   * forgotten after a window unused (the bucket itself stays in Redis).
   */
  private BucketProxy remote(String key, BucketConfiguration configuration) {
    pruneRemote();
    ProxyManager<String> manager = proxies(); // may connect: not inside the map's lock
    RemoteBucket held =
        remote.computeIfAbsent(
            key,
            k ->
                new RemoteBucket(
                    manager
                        .builder()
                        .withOptimization(Optimizations.batching())
                        .build("grizz:rate:" + k, () -> configuration),
                    new AtomicReference<>(clock.instant())));
    held.lastUsed().set(clock.instant());
    return held.bucket();
  }

  private ProxyManager<String> proxies() {
    ProxyManager<String> manager = shared;
    if (manager == null) {
      synchronized (this) {
        manager = shared;
        if (manager == null) {
          StatefulRedisConnection<String, byte[]> open =
              redis
                  .client()
                  .orElseThrow()
                  .connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
          connection = open;
          manager =
              Bucket4jLettuce.casBasedBuilder(open)
                  .expirationAfterWrite(
                      ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(WINDOW))
                  .requestTimeout(Duration.ofSeconds(1))
                  .build();
          shared = manager;
        }
      }
    }
    return manager;
  }

  private void pruneRemote() {
    Instant now = clock.instant();
    if (now.isAfter(lastRemotePrune.plus(WINDOW))) {
      lastRemotePrune = now;
      remote.entrySet().removeIf(e -> e.getValue().lastUsed().get().isBefore(now.minus(WINDOW)));
    }
  }

  // Buckets idle for a window are full again, so forgetting them changes nothing.
  private void pruneLocal() {
    Instant now = clock.instant();
    if (now.isAfter(lastPrune.plus(WINDOW))) {
      lastPrune = now;
      local
          .entrySet()
          .removeIf(e -> e.getValue().bucket().getAvailableTokens() >= e.getValue().limit());
    }
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException
          || t instanceof io.lettuce.core.RedisCommandTimeoutException
          || t.getClass().getSimpleName().contains("Timeout")) {
        return true;
      }
    }
    return false;
  }

  private static long seconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }

  @Override
  public void destroy() {
    StatefulRedisConnection<String, byte[]> open = connection;
    if (open != null) {
      open.close();
    }
  }
}
