package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.llm.ToolCallDelta;
import dev.grizz.engine.llm.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The chunks and responses are OpenAI's exact JSON, built as text. */
class OpenAiChunksTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final OpenAiChunks chunks = new OpenAiChunks("chatcmpl-1", 1700000000);

  private static JsonNode frame(String frame) {
    assertThat(frame).startsWith("data: ").endsWith("\n\n");
    return JSON.readTree(frame.substring("data: ".length()));
  }

  @Test
  void textChunksEscapeAndNameTheModel() {
    JsonNode chunk = frame(chunks.delta("openai/gpt-4o", "a \"quote\"\n\u0001 é"));
    assertThat(chunk.get("id").asString()).isEqualTo("chatcmpl-1");
    assertThat(chunk.get("object").asString()).isEqualTo("chat.completion.chunk");
    assertThat(chunk.get("created").asLong()).isEqualTo(1700000000);
    assertThat(chunk.get("model").asString()).isEqualTo("openai/gpt-4o");
    assertThat(chunk.at("/choices/0/delta/content").asString()).isEqualTo("a \"quote\"\n\u0001 é");
    assertThat(chunk.at("/choices/0/finish_reason").isNull()).isTrue();
    assertThat(frame(chunks.delta("other/m", "x")).get("model").asString()).isEqualTo("other/m");
    assertThat(frame(chunks.role("m")).at("/choices/0/delta/role").asString())
        .isEqualTo("assistant");
    assertThat(
            frame(chunks.reasoning("m", "hmm")).at("/choices/0/delta/reasoning_content").asString())
        .isEqualTo("hmm");
  }

  @Test
  void toolCallsStreamAsOpenAis() {
    JsonNode first =
        frame(chunks.toolCall("m", new ToolCallDelta(0, "call_a", "weather", ""), true));
    JsonNode delta = first.at("/choices/0/delta");
    assertThat(delta.get("role").asString()).isEqualTo("assistant");
    assertThat(delta.get("content").isNull()).isTrue();
    assertThat(delta.at("/tool_calls/0/index").asInt()).isZero();
    assertThat(delta.at("/tool_calls/0/id").asString()).isEqualTo("call_a");
    assertThat(delta.at("/tool_calls/0/type").asString()).isEqualTo("function");
    assertThat(delta.at("/tool_calls/0/function/name").asString()).isEqualTo("weather");
    assertThat(delta.at("/tool_calls/0/function/arguments").asString()).isEmpty();

    JsonNode later =
        frame(chunks.toolCall("m", new ToolCallDelta(0, null, null, "{\"city\":"), false))
            .at("/choices/0/delta");
    assertThat(later.has("role")).isFalse();
    assertThat(later.at("/tool_calls/0").propertyNames()).containsExactly("index", "function");
    assertThat(later.at("/tool_calls/0/function").propertyNames()).containsExactly("arguments");
    assertThat(later.at("/tool_calls/0/function/arguments").asString()).isEqualTo("{\"city\":");

    JsonNode second =
        frame(chunks.toolCall("m", new ToolCallDelta(1, "call_b", "time", "{}"), false))
            .at("/choices/0/delta/tool_calls/0");
    assertThat(second.get("index").asInt()).isEqualTo(1);
    assertThat(second.get("id").asString()).isEqualTo("call_b");
  }

  @Test
  void finishAndUsage() {
    assertThat(frame(chunks.finish("m", "tool_calls")).at("/choices/0/finish_reason").asString())
        .isEqualTo("tool_calls");
    JsonNode usage = frame(chunks.usage("m", new Usage(10, 5, false, 4, 2))).get("usage");
    assertThat(usage.get("total_tokens").asInt()).isEqualTo(15);
    assertThat(usage.at("/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(4);
    assertThat(usage.at("/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(2);
    JsonNode unknown = frame(chunks.usage("m", Usage.UNKNOWN)).get("usage");
    assertThat(unknown.has("prompt_tokens_details")).isFalse();
    assertThat(unknown.get("prompt_tokens").asInt()).isZero();
  }

  @Test
  void aWholeAnswerWithOnlyCallsHasNullContent() {
    JsonNode body =
        JSON.readTree(
            chunks.whole(
                "m",
                "",
                "thought",
                List.of(new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}")),
                "tool_calls",
                new Usage(3, 4, false)));
    JsonNode message = body.at("/choices/0/message");
    assertThat(body.get("object").asString()).isEqualTo("chat.completion");
    assertThat(message.get("content").isNull()).isTrue();
    assertThat(message.get("reasoning_content").asString()).isEqualTo("thought");
    assertThat(message.at("/tool_calls/0/id").asString()).isEqualTo("call_1");
    assertThat(message.at("/tool_calls/0/type").asString()).isEqualTo("function");
    assertThat(message.at("/tool_calls/0/function/arguments").asString())
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
    assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(7);

    JsonNode text = JSON.readTree(chunks.whole("m", "hi", "", List.of(), "stop", Usage.UNKNOWN));
    assertThat(text.at("/choices/0/message/content").asString()).isEqualTo("hi");
    assertThat(text.at("/choices/0/message").has("tool_calls")).isFalse();
  }
}
