package dev.grizz.engine.event;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Jobs on the deployment's Redis Stream {@code grizz:jobs:<deployment id>}, consumer group {@code
 * workers}: XREADGROUP to take, XCLAIM (JUSTID, idle 0) as the running worker's heartbeat,
 * XAUTOCLAIM of entries idle past the lease, XACK + XDEL when done.
 */
final class RedisJobBackend implements JobBackend, AutoCloseable {

  /** The stream of one deployment (its database's {@code deployment.id}). */
  static String stream(java.util.UUID deployment) {
    return "grizz:jobs:" + deployment;
  }

  static final String GROUP = "workers";

  private final SharedRedis connection;
  private final RedisClient client;
  private final String consumer;
  private final String stream;
  private @Nullable StatefulRedisConnection<String, String> blocking;
  private volatile boolean groupReady;

  RedisJobBackend(RedisClient client, SharedRedis connection, String consumer, String stream) {
    this.stream = stream;
    this.client = client;
    this.connection = connection;
    this.consumer = consumer;
  }

  private void ensureGroup() {
    if (!groupReady) {
      try {
        connection
            .sync()
            .xgroupCreate(
                StreamOffset.from(stream, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
      } catch (RedisBusyException alreadyThere) {
        // BUSYGROUP: another pod made it
      }
      groupReady = true;
    }
  }

  @Override
  public void enqueue(Job job) {
    Map<String, String> body = new HashMap<>();
    body.put("step", job.stepId().toString());
    body.put("conversation", job.conversationId().toString());
    if (job.traceparent() != null) {
      body.put("traceparent", job.traceparent());
    }
    connection.sync().xadd(stream, body);
  }

  @Override
  @SuppressWarnings("unchecked") // one StreamOffset through Lettuce's generic varargs
  public Optional<Claim> take(Duration wait) {
    ensureGroup();
    List<StreamMessage<String, String>> messages;
    try {
      messages =
          blocking()
              .sync()
              .xreadgroup(
                  Consumer.from(GROUP, consumer),
                  XReadArgs.Builder.block(wait).count(1),
                  StreamOffset.lastConsumed(stream));
    } catch (RuntimeException e) {
      closeBlocking();
      // NOGROUP after Redis lost its data: make the group again next time.
      groupReady = false;
      throw e;
    }
    return messages.isEmpty() ? Optional.empty() : Optional.of(claim(messages.getFirst()));
  }

  @Override
  public List<Claim> reclaimStale(Duration lease, int max) {
    ensureGroup();
    var result =
        connection
            .sync()
            .xautoclaim(
                stream,
                XAutoClaimArgs.Builder.xautoclaim(Consumer.from(GROUP, consumer), lease, "0-0")
                    .count(max));
    List<Claim> claims = new ArrayList<>();
    for (StreamMessage<String, String> message : result.getMessages()) {
      if (message.getBody() != null && message.getBody().containsKey("step")) {
        claims.add(claim(message));
      }
    }
    return claims;
  }

  @Override
  public void renew(List<Claim> running) {
    if (running.isEmpty()) {
      return;
    }
    String[] ids = running.stream().map(Claim::handle).toArray(String[]::new);
    connection
        .sync()
        .xclaim(
            stream,
            Consumer.from(GROUP, consumer),
            XClaimArgs.Builder.justid().minIdleTime(0),
            ids);
  }

  @Override
  public void ack(Claim claim) {
    connection.sync().xack(stream, GROUP, claim.handle());
    connection.sync().xdel(stream, claim.handle());
  }

  private Claim claim(StreamMessage<String, String> message) {
    Map<String, String> body = message.getBody();
    Job job =
        new Job(
            UUID.fromString(body.get("step")),
            UUID.fromString(body.get("conversation")),
            body.get("traceparent"));
    return new Claim(job, message.getId(), this);
  }

  private synchronized StatefulRedisConnection<String, String> blocking() {
    if (blocking == null || !blocking.isOpen()) {
      blocking = client.connect();
    }
    return blocking;
  }

  private synchronized void closeBlocking() {
    if (blocking != null) {
      blocking.closeAsync();
      blocking = null;
    }
  }

  @Override
  public void close() {
    closeBlocking();
  }

  /** Makes the backend once the pod's name is known. */
  record Factory(RedisClient client, SharedRedis connection, @Nullable String named) {
    RedisJobBackend create(String consumer, java.util.UUID deployment) {
      return new RedisJobBackend(
          client, connection, consumer, named != null ? named : stream(deployment));
    }
  }
}
