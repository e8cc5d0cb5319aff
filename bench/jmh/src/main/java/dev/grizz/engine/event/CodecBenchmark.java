package dev.grizz.engine.event;

import dev.grizz.engine.EngineInstance;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost of one {@code message.delta} in the event codec: the JSON written once at append
 * ({@link EventCodec#encode}), read back where the engine looks inside a stored event ({@link
 * EventCodec#decode}: backlog merging, a restart's seq), and the per-transport frame with the id
 * ({@link LoggedEvent#frame}). Sampled rather than averaged: on a shared 2-core machine a few
 * preempted calls (milliseconds each) dominate the mean of a sub-microsecond operation, while the
 * median stays put.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {

  private EngineInstance engine;
  private EventCodec codec;
  private ChatEvent delta;
  private LoggedEvent stored;

  @Setup
  public void start() {
    engine = BenchEngine.start();
    codec = engine.bean(EventCodec.class);
    UUID conversation = UUID.randomUUID();
    // As StepEvents.delta builds it: the task id is the conversation's, text about one token.
    delta =
        new ChatEvent(
            conversation,
            conversation,
            UUID.randomUUID(),
            42,
            1,
            Instant.now(),
            new EventData.MessageDelta(" the"));
    stored = new LoggedEvent(new EventId(System.currentTimeMillis(), 3), codec.encode(delta));
  }

  @TearDown
  public void stop() {
    engine.close();
  }

  @Benchmark
  public String encode() {
    return codec.encode(delta);
  }

  @Benchmark
  public ChatEvent decode() {
    return codec.decode(stored);
  }

  @Benchmark
  public String frame() {
    return stored.frame();
  }
}
