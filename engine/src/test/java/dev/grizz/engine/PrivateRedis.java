package dev.grizz.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import redis.embedded.RedisServer;

/**
 * A redis-server of one test's own, on a free port, that the test may stop and start again (on the
 * same port, empty, as after a crash without persistence). Never the shared one.
 */
public final class PrivateRedis implements AutoCloseable {

  private final int port = TestServers.freePort();
  private RedisServer server;

  public PrivateRedis() {
    this(true);
  }

  /** A private Redis on a reserved port, started now or (with false) only when asked. */
  public PrivateRedis(boolean startNow) {
    if (startNow) {
      start();
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public void start() {
    try {
      server =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("appendonly no")
              .build();
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server process, as a crash would. */
  public void stop() {
    if (server == null) {
      return;
    }
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
