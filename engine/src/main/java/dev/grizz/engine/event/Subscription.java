package dev.grizz.engine.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One client's read position in a conversation's stream. The log itself is the buffer: a subscriber
 * pulls what is after its cursor at its own pace, so a slow client costs no memory and never slows
 * the writer or other clients. When a pull finds a backlog, consecutive deltas of a step are merged
 * into one frame.
 */
public final class Subscription implements AutoCloseable {

  /** Most events one pull returns. */
  public static final int BATCH = 256;

  /** Re-read even without a signal this often, in case one was missed (e.g. across a failover). */
  static final Duration SAFETY_POLL = Duration.ofSeconds(2);

  private final EventLog log;
  private final EventCodec codec;
  private final UUID conversationId;
  private final Semaphore wake = new Semaphore(0);
  private @Nullable EventId cursor;
  private @Nullable UUID fromStep;
  private List<AutoCloseable> watches = List.of();

  /** The next read goes to the stores themselves: the first one, and after a silent wait. */
  private boolean fresh = true;

  private volatile boolean closed;

  Subscription(
      EventLog log,
      EventCodec codec,
      UUID conversationId,
      @Nullable EventId after,
      @Nullable UUID fromStep) {
    this.log = log;
    this.codec = codec;
    this.conversationId = conversationId;
    this.cursor = after;
    this.fromStep = fromStep;
  }

  void onClose(List<AutoCloseable> watches) {
    this.watches = watches;
  }

  void wake() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  /** True once closed, by its reader or by the engine shutting down. */
  public boolean isClosed() {
    return closed;
  }

  /** The id of the last event returned, the cursor a client resumes from. */
  public @Nullable EventId cursor() {
    return cursor;
  }

  /**
   * The next events after the cursor, waiting up to {@code maxWait} for at least one; empty when
   * none came in time. Restores the interrupt flag and returns empty if interrupted.
   */
  public List<Frame> next(Duration maxWait) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (!closed) {
      wake.drainPermits();
      List<LoggedEvent> events =
          fresh
              ? log.readAfter(conversationId, cursor, BATCH)
              : log.readNew(conversationId, cursor, BATCH);
      fresh = false;
      if (!events.isEmpty()) {
        cursor = events.getLast().id();
        List<Frame> frames = frames(events);
        if (!frames.isEmpty()) {
          return frames;
        }
        continue;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return List.of();
      }
      try {
        fresh = !wake.tryAcquire(Math.min(left, SAFETY_POLL.toNanos()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
    return List.of();
  }

  private List<Frame> frames(List<LoggedEvent> events) {
    List<Frame> frames = new ArrayList<>(events.size());
    boolean backlog = events.size() > 1;
    DeltaRun run = null;
    for (LoggedEvent event : events) {
      ChatEvent decoded = null;
      if (fromStep != null || backlog) {
        decoded = codec.decode(event);
        if (fromStep != null) {
          if (compareUnsigned(decoded.stepId(), fromStep) < 0) {
            continue;
          }
          fromStep = null;
        }
      }
      if (decoded != null && backlog && decoded.data() instanceof EventData.MessageDelta) {
        if (run != null
            && run.stepId.equals(decoded.stepId())
            && run.lastSeq + 1 == decoded.seq()) {
          run.add(event, decoded);
          continue;
        }
        if (run != null) {
          frames.add(run.frame(codec));
        }
        run = new DeltaRun(event, decoded);
        continue;
      }
      if (run != null) {
        frames.add(run.frame(codec));
        run = null;
      }
      frames.add(new Frame(event.id(), event.frame()));
    }
    if (run != null) {
      frames.add(run.frame(codec));
    }
    return frames;
  }

  private static int compareUnsigned(UUID a, UUID b) {
    int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return high != 0
        ? high
        : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  @Override
  public void close() {
    closed = true;
    wake.release();
    for (AutoCloseable watch : watches) {
      try {
        watch.close();
      } catch (Exception ignored) {
        // closing a watch only removes a callback
      }
    }
  }

  /** The event a frame of this subscription carries, typed. */
  public ChatEvent event(Frame frame) {
    return codec.decode(frame.json());
  }

  /** One JSON frame to send, and the id a client resumes after. */
  public record Frame(EventId id, String json) {}

  /** Consecutive deltas of one step, sent as a single delta carrying {@code seq_from}. */
  private static final class DeltaRun {
    private final UUID stepId;
    private final LoggedEvent first;
    private final StringBuilder text = new StringBuilder();
    private final long firstSeq;
    private LoggedEvent last;
    private ChatEvent lastEvent;
    private long lastSeq;
    private int count;

    DeltaRun(LoggedEvent event, ChatEvent decoded) {
      this.stepId = decoded.stepId();
      this.first = event;
      this.firstSeq = decoded.seq();
      add(event, decoded);
    }

    void add(LoggedEvent event, ChatEvent decoded) {
      if (decoded.data() instanceof EventData.MessageDelta delta) {
        text.append(delta.text());
      }
      last = event;
      lastEvent = decoded;
      lastSeq = decoded.seq();
      count++;
    }

    Frame frame(EventCodec codec) {
      if (count == 1) {
        return new Frame(first.id(), first.frame());
      }
      return new Frame(last.id(), codec.mergedDelta(last, lastEvent, text.toString(), firstSeq));
    }
  }
}
