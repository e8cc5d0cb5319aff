package dev.grizz.engine.moderation;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The built-in moderator's cost per text, paid on every message and every whole answer (the output
 * check runs once the answer is complete, before its step finishes): an ordinary answer of about
 * 350 characters, the bench's 64-token answer, and a text that one pattern matches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ModerationBenchmark {

  private static final Map<String, String> TEXTS =
      Map.of(
          "answer",
          "Sure! Here is a short explanation of how photosynthesis works. Plants capture light"
              + " energy with chlorophyll, convert carbon dioxide and water into glucose, and"
              + " release oxygen as a by-product. The light-dependent reactions happen in the"
              + " thylakoid membranes, while the Calvin cycle runs in the stroma. Would you like a"
              + " diagram or more detail on any step?",
          "benchTokens",
          tokens(),
          "flagged",
          "You are a worthless idiot and I'm going to kill you");

  @Param({"answer", "benchTokens", "flagged"})
  public String text;

  private OfflineModerator moderator;
  private String input;

  private static String tokens() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      text.append('t').append(i).append(' ');
    }
    return text.toString();
  }

  @Setup
  public void load() {
    moderator = OfflineModerator.builtIn();
    input = TEXTS.get(text);
  }

  @Benchmark
  public Map<String, Double> scores() {
    return moderator.scores(input);
  }
}
