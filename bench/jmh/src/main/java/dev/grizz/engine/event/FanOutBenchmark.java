package dev.grizz.engine.event;

import dev.grizz.engine.EngineInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * From {@link EventLog#append} of one {@code message.delta} to the moment the conversation's
 * subscribers have it from {@link Subscription#next}: XADD on the shared connection, the pod's one
 * blocking XREAD returning, its watch thread waking the subscriptions, each subscription's XRANGE.
 * Readers are virtual threads blocked in {@code next}, as the SSE and WebSocket transports are. One
 * operation appends one delta and returns when the last reader has it (plus one hand-off back to
 * the benchmark thread), so there is never a backlog and every reader gets exactly that one frame
 * (checked). A 2 ms pause before each append, outside the measured time, lets the readers go back
 * to waiting first, as between a real stream's deltas. Before JMH's warm-up, 3 s of unpaced appends
 * get the path compiled.
 *
 * <ul>
 *   <li>{@code oneConversation}: 1 or 16 readers on one conversation.
 *   <li>{@code roundRobin}: 64 conversations with one reader each, appended to in turn; the watch
 *       loop's XREAD covers all 64 streams.
 * </ul>
 *
 * At the end of a run each prints a breakdown of its measurement iterations (p50 and p99 from the
 * start of the append): append returned, the Redis backend signalled the conversation's watchers,
 * first and last reader had the frame, the benchmark thread woke.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class FanOutBenchmark {

  static final Duration PAUSE = Duration.ofMillis(2);
  static final Duration WARM_UP = Duration.ofSeconds(3);

  /** One append, and when each of its conversation's readers had it. */
  static final class Round {
    final CountDownLatch latch;
    final long[] got;
    final EventId[] ids;
    final int[] frames;

    /** When the Redis backend last signalled the conversation (maybe for an earlier append). */
    volatile long signalled;

    Round(int readers) {
      latch = new CountDownLatch(readers);
      got = new long[readers];
      ids = new EventId[readers];
      frames = new int[readers];
    }

    void arrived(int reader, List<Subscription.Frame> batch) {
      got[reader] = System.nanoTime();
      ids[reader] = batch.getLast().id();
      frames[reader] = batch.size();
      latch.countDown();
    }
  }

  /** A conversation, the step writing into it, its readers. */
  static final class Conversation {
    final UUID id = UUID.randomUUID();
    final UUID step = UUID.randomUUID();
    final List<Subscription> subscriptions = new ArrayList<>();
    final List<Thread> readers = new ArrayList<>();
    long seq;
    volatile Round round = new Round(0);
    AutoCloseable probe;
  }

  public abstract static class Fixture {
    EngineInstance engine;
    EventLog log;
    Conversation[] conversations;
    int readersEach;
    int next;
    volatile boolean running = true;
    final Breakdown breakdown = new Breakdown();

    abstract int conversationCount();

    abstract int readersPerConversation();

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
      engine = BenchEngine.start();
      log = engine.bean(EventLog.class);
      readersEach = readersPerConversation();
      conversations = new Conversation[conversationCount()];
      for (int c = 0; c < conversations.length; c++) {
        Conversation conversation = new Conversation();
        conversations[c] = conversation;
        conversation.probe = probe(conversation);
        for (int r = 0; r < readersEach; r++) {
          Subscription subscription = log.subscribe(conversation.id, null, null);
          conversation.subscriptions.add(subscription);
          int reader = r;
          conversation.readers.add(
              Thread.ofVirtual()
                  .name("bench-reader-" + c + "-" + r)
                  .start(() -> read(conversation, subscription, reader)));
        }
      }
      // Back to back first, unpaced: paced, the path would run too few times in the warm-up
      // iterations for the JIT's top tier.
      long end = System.nanoTime() + WARM_UP.toNanos();
      while (System.nanoTime() < end) {
        deliver();
      }
    }

    /**
     * Notes when the Redis backend signals the conversation's watchers (a watcher beside the
     * subscriptions' own), to split the latency in two: today the pod's XREAD watch loop does. The
     * only use of a non-public engine method here: drop it if the watch API changes.
     */
    private AutoCloseable probe(Conversation conversation) {
      return engine
          .bean(RedisEventBackend.class)
          .watch(conversation.id, () -> conversation.round.signalled = System.nanoTime());
    }

    private void read(Conversation conversation, Subscription subscription, int reader) {
      while (running && !subscription.isClosed()) {
        List<Subscription.Frame> batch = subscription.next(Duration.ofSeconds(1));
        if (!batch.isEmpty()) {
          conversation.round.arrived(reader, batch);
        }
      }
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
      breakdown.recording = params.getType() == IterationType.MEASUREMENT;
    }

    /**
     * A pause before each append, outside the measured time, so that the readers and the watch loop
     * are back to waiting when the delta comes, as between a real stream's deltas (tens of ms apart
     * per stream). Back to back, a reader still re-reading after the previous frame would find the
     * next one without any wake-up and flatter the numbers.
     */
    @Setup(Level.Invocation)
    public void pause() throws InterruptedException {
      Thread.sleep(PAUSE);
    }

    EventId deliver() throws InterruptedException {
      Conversation conversation = conversations[next];
      next = (next + 1) % conversations.length;
      Round round = new Round(readersEach);
      conversation.round = round;
      conversation.seq++;
      long start = System.nanoTime();
      EventId id =
          log.append(
              new ChatEvent(
                  conversation.id,
                  conversation.id,
                  conversation.step,
                  conversation.seq,
                  1,
                  Instant.now(),
                  new EventData.MessageDelta(" the")));
      long appended = System.nanoTime();
      if (!round.latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            round.latch.getCount() + " of " + readersEach + " readers did not get " + id);
      }
      long done = System.nanoTime();
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (int r = 0; r < readersEach; r++) {
        if (round.frames[r] != 1 || !id.equals(round.ids[r])) {
          throw new IllegalStateException(
              "reader " + r + " got " + round.frames[r] + " frames up to " + round.ids[r]);
        }
        first = Math.min(first, round.got[r]);
        last = Math.max(last, round.got[r]);
      }
      breakdown.record(start, appended, round.signalled, first, last, done);
      return id;
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      System.out.println();
      System.out.println(breakdown.summary());
      running = false;
      for (Conversation conversation : conversations) {
        conversation.subscriptions.forEach(Subscription::close);
        for (Thread reader : conversation.readers) {
          reader.join(5_000);
        }
        conversation.probe.close();
        log.delete(conversation.id);
      }
      engine.close();
    }
  }

  @State(Scope.Benchmark)
  public static class OneConversation extends Fixture {
    @Param({"1", "16"})
    public int readers;

    @Override
    int conversationCount() {
      return 1;
    }

    @Override
    int readersPerConversation() {
      return readers;
    }
  }

  @State(Scope.Benchmark)
  public static class ManyConversations extends Fixture {
    @Param({"64"})
    public int conversations;

    @Override
    int conversationCount() {
      return conversations;
    }

    @Override
    int readersPerConversation() {
      return 1;
    }
  }

  @Benchmark
  public EventId oneConversation(OneConversation fixture) throws InterruptedException {
    return fixture.deliver();
  }

  @Benchmark
  public EventId roundRobin(ManyConversations fixture) throws InterruptedException {
    return fixture.deliver();
  }

  /** Each stage's time from the start of the append, over the measurement iterations. */
  static final class Breakdown {
    private static final String[] STAGES = {
      "append returned",
      "watchers signalled",
      "first reader had it",
      "last reader had it",
      "benchmark thread woke"
    };
    private static final int SIGNAL = 1;
    private static final int MAX = 1 << 18;
    private final long[][] samples = new long[STAGES.length][MAX];
    private final int[] counts = new int[STAGES.length];
    private int operations;
    boolean recording;

    void record(long start, long appended, long signalled, long first, long last, long done) {
      if (!recording || operations == MAX) {
        return;
      }
      operations++;
      long[] at = {appended, signalled, first, last, done};
      for (int s = 0; s < STAGES.length; s++) {
        // The signal is another append's, or came after the readers had the frame: not split.
        if (s != SIGNAL || (signalled > start && signalled <= last)) {
          samples[s][counts[s]++] = at[s] - start;
        }
      }
    }

    String summary() {
      StringBuilder text =
          new StringBuilder(
              "Breakdown over "
                  + operations
                  + " measured operations, µs from the start of the append (the watchers'"
                  + " signal before the last reader had the frame in "
                  + counts[SIGNAL]
                  + "):");
      for (int s = 0; s < STAGES.length; s++) {
        long[] sorted = Arrays.copyOf(samples[s], counts[s]);
        Arrays.sort(sorted);
        text.append(
            String.format(
                "%n  %-22s p50 %8.1f   p99 %8.1f",
                STAGES[s], percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3));
      }
      return text.toString();
    }

    private static double percentile(long[] sorted, double p) {
      return sorted.length == 0
          ? Double.NaN
          : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)];
    }
  }
}
