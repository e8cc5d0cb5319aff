package dev.grizz.engine.event;

import dev.grizz.engine.EngineInstance;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link EventLog#append} of one {@code message.delta} to the Redis-backed log: encode, XADD on the
 * pod's one shared Lettuce connection, wait for the reply. Each benchmark thread is one step
 * streaming into a conversation of its own, numbering its deltas as StepEvents does; with 16
 * threads the writers share that connection as 16 concurrent streams of a pod do. Also {@link
 * EventLog#readAfter} of the one newest event, the read a woken subscriber makes (XRANGE on the
 * same connection), and the single-writer append again with a 2 ms pause before each call.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AppendBenchmark {

  @State(Scope.Benchmark)
  public static class Engine {
    EngineInstance engine;
    EventLog log;
    final Queue<UUID> conversations = new ConcurrentLinkedQueue<>();

    @Setup
    public void start() {
      engine = BenchEngine.start();
      log = engine.bean(EventLog.class);
    }

    /** Deletes the writers' streams here: JMH may tear this state down before theirs. */
    @TearDown
    public void stop() {
      conversations.forEach(log::delete);
      engine.close();
    }
  }

  /** One writer: its conversation, step and seq, and the fence of its attempt. */
  @State(Scope.Thread)
  public static class Step {
    final UUID conversation = UUID.randomUUID();
    final UUID step = UUID.randomUUID();
    long seq;
    EventLog log;
    StepFence fence;

    @Setup
    public void start(Engine engine) {
      log = engine.log;
      engine.conversations.add(conversation);
      fence = log.fence(conversation, step, 1);
    }

    EventId delta(String text) {
      seq++;
      return log.append(BenchEngine.delta(conversation, step, seq, text));
    }

    /** As a worker appends: under its attempt's fence (the append script checks it). */
    EventId fencedDelta(String text) {
      seq++;
      return log.append(BenchEngine.delta(conversation, step, seq, text), fence).orElseThrow();
    }
  }

  /** A conversation holding two deltas, read after the first. */
  @State(Scope.Thread)
  public static class Newest {
    EventLog log;
    UUID conversation;
    EventId cursor;

    @Setup
    public void start(Engine engine, Step step) {
      log = engine.log;
      conversation = step.conversation;
      cursor = step.delta(" the");
      step.delta(" cat");
    }
  }

  @Benchmark
  @Threads(1)
  public List<LoggedEvent> readNewest(Newest newest) {
    return newest.log.readAfter(newest.conversation, newest.cursor, Subscription.BATCH);
  }

  @Benchmark
  @Threads(1)
  public EventId append(Step step) {
    return step.delta(" the");
  }

  /**
   * The same append as a worker makes it, under its attempt's fence: what fencing costs a delta.
   */
  @Benchmark
  @Threads(1)
  public EventId appendFenced(Step step) {
    return step.fencedDelta(" the");
  }

  /**
   * Before each call, outside the measured time, the pause FanOutBenchmark makes; before the first,
   * the same unpaced warm-up.
   */
  @State(Scope.Thread)
  public static class Paced {
    @Setup(Level.Trial)
    public void warmUp(Engine engine) {
      BenchEngine.warmUp(engine.log, FanOutBenchmark.WARM_UP);
    }

    @Setup(Level.Invocation)
    public void pause() throws InterruptedException {
      Thread.sleep(FanOutBenchmark.PAUSE);
    }
  }

  /**
   * The same append after 2 ms idle, as in FanOutBenchmark: the writer, Lettuce's event loop and
   * Redis all wake from idle for it, where back to back they are running already.
   */
  @Benchmark
  @Threads(1)
  public EventId appendAfterPause(Step step, Paced paced) {
    return step.delta(" the");
  }

  @Benchmark
  @Threads(16)
  public EventId append16Threads(Step step) {
    return step.delta(" the");
  }
}
