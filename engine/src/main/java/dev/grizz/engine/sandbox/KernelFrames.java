package dev.grizz.engine.sandbox;

import dev.grizz.engine.sandbox.KernelProtocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The frames a kernel sends, read by a thread of their own: only the ready frame and those of the
 * request in progress are kept (late ones and any the code made up are dropped), at most a few at a
 * time, since each may be {@link KernelProtocol#MAX_LINE_BYTES} long.
 */
final class KernelFrames {

  private static final Object END = new Object();

  private final InputStream in;
  private final Runnable onBroken;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(8);
  private volatile long current = -1;
  private volatile boolean ended;
  private volatile @Nullable String broken;
  private volatile @Nullable String fatal;

  /** Reads {@code in}; calls {@code onBroken} when the kernel breaks the protocol. */
  KernelFrames(InputStream in, Runnable onBroken) {
    this.in = in;
    this.onBroken = onBroken;
  }

  void start(String name) {
    Thread.ofPlatform().daemon().name(name).start(this::read);
  }

  /** From now on only frames of request {@code id} are kept; what was waiting is dropped. */
  void expect(long id) {
    current = id;
    queue.clear();
  }

  /** Whether the stream has ended (the sandbox is gone). */
  boolean ended() {
    return ended;
  }

  /** Why the kernel said it is ending ({@code {"type":"fatal","error":"..."}}), when it did. */
  @Nullable String fatal() {
    return fatal;
  }

  /** How the kernel broke the protocol, when it did. */
  @Nullable String broken() {
    return broken;
  }

  private void read() {
    boolean readySeen = false;
    try {
      var lines = new KernelProtocol.LineReader(in, KernelProtocol.MAX_LINE_BYTES);
      byte[] line;
      while ((line = lines.next()) != null) {
        if (line.length == 0) {
          continue; // a fatal frame starts on a line of its own
        }
        JsonNode frame = KernelProtocol.decode(line);
        if ("fatal".equals(frame.path("type").asString(""))) {
          String error = frame.path("error").asString("the kernel stopped");
          fatal = error.length() > 500 ? error.substring(0, 500) : error;
          continue;
        }
        boolean ready = !readySeen && "ready".equals(frame.path("type").asString(""));
        if (!ready && frame.path("id").asLong(-2) != current) {
          continue; // not for the request in progress: late, or made up by the code
        }
        readySeen |= ready;
        queue.put(frame);
      }
    } catch (ProtocolException e) {
      broken = "the sandbox broke the protocol (" + e.getMessage() + "); the session was stopped";
      onBroken.run();
    } catch (IOException | InterruptedException e) {
      // the stream closed: the sandbox is gone
    } finally {
      ended = true;
      queue.offer(END);
    }
  }

  /** The next frame before the deadline; null when the stream ended or the deadline passed. */
  @Nullable JsonNode next(long deadlineNanos) throws SandboxException {
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Object frame;
      try {
        frame = queue.poll(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SandboxException("interrupted while waiting for the sandbox");
      }
      if (frame == END || (frame == null && ended && queue.isEmpty())) {
        return null;
      }
      if (frame instanceof JsonNode node) {
        return node;
      }
    }
  }
}
