package dev.grizz.engine.api;

import dev.grizz.engine.llm.ToolCallDelta;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one {@code /v1/chat/completions} chunk costs to build, paid once per token per stream: a
 * text delta (the common case) and a later tool-call piece (index and an arguments fragment). No
 * engine is booted: {@link OpenAiChunks} is plain string building.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ChunksBenchmark {

  private final OpenAiChunks chunks = new OpenAiChunks("chatcmpl-0123456789abcdef", 1764072000L);
  private final ToolCallDelta piece = new ToolCallDelta(0, null, null, "\"city\":\"Par");

  {
    chunks.toolCall("openai/gpt-4o-mini", new ToolCallDelta(0, "call_1", "weather", ""), true);
  }

  @Benchmark
  public String textDelta() {
    return chunks.delta("openai/gpt-4o-mini", " the");
  }

  private final tools.jackson.databind.json.JsonMapper json =
      tools.jackson.databind.json.JsonMapper.builder().build();

  /**
   * The baseline: the same text chunk as the engine built it before (maps of the chunk, its choice
   * and delta, written by the object mapper), for comparison with {@link #textDelta}.
   */
  @Benchmark
  public String textDeltaViaMapper() {
    java.util.Map<String, Object> choice = new java.util.LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("delta", java.util.Map.of("content", " the"));
    choice.put("finish_reason", null);
    java.util.Map<String, Object> chunk = new java.util.LinkedHashMap<>();
    chunk.put("id", "chatcmpl-0123456789abcdef");
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", 1764072000L);
    chunk.put("model", "openai/gpt-4o-mini");
    chunk.put("choices", java.util.List.of(choice));
    return "data: " + json.writeValueAsString(chunk) + "\n\n";
  }

  @Benchmark
  public String toolCallPiece() {
    return chunks.toolCall("openai/gpt-4o-mini", piece, false);
  }
}
