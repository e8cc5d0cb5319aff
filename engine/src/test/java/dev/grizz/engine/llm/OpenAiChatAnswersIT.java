package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The answer of {@code /v1/chat/completions} in OpenAI's shape, end to end from a fake OpenAI
 * upstream: tool calls whole ({@code message.tool_calls}, content null) and streamed (first piece
 * with id, type and name, later pieces index and arguments only), parallel calls by index,
 * reasoning as {@code reasoning_content}, truthful finish reasons and usage details.
 */
class OpenAiChatAnswersIT {

  static final String HI = OpenAiChatFieldsIT.HI;
  static final String TOOLS = OpenAiChatFieldsIT.TOOLS;
  static V1Engine v1;

  @BeforeAll
  static void start() {
    v1 = new V1Engine();
  }

  @AfterAll
  static void stop() {
    v1.close();
  }

  @Test
  void rendersToolCallsReasoningAndUsageDetails() {
    v1.upstream.enqueue(
        ChatWire.toolCall("call_9", "weather", List.of("{\"city\"", ":\"Paris\"}")));
    V1Engine.Reply called = v1.post("{" + HI + "," + TOOLS + "}", Map.of());
    JsonNode message = called.body().at("/choices/0/message");
    assertThat(called.body().at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
    assertThat(message.get("content").isNull()).isTrue();
    assertThat(message.at("/tool_calls/0/id").asString()).isEqualTo("call_9");
    assertThat(message.at("/tool_calls/0/function/name").asString()).isEqualTo("weather");
    assertThat(message.at("/tool_calls/0/function/arguments").asString())
        .isEqualTo("{\"city\":\"Paris\"}");

    v1.upstream.enqueue(ChatWire.text("thinking it over", List.of("Sunny", ".")));
    V1Engine.Reply answered = v1.post("{" + HI + "}", Map.of());
    assertThat(answered.body().at("/choices/0/message/content").asString()).isEqualTo("Sunny.");
    assertThat(answered.body().at("/choices/0/message/reasoning_content").asString())
        .isEqualTo("thinking it over");
    assertThat(answered.body().at("/usage/prompt_tokens_details/cached_tokens").asInt())
        .isEqualTo(32);
    assertThat(answered.body().at("/usage/completion_tokens_details/reasoning_tokens").asInt())
        .isEqualTo(5);
  }

  @Test
  void anAnswerTheContentPolicyBlocksIsWithheldAsFilteredContentAndLogged() {
    String threat = "I'm going to kill you, you idiot";
    JdbcClient jdbc = v1.engine.bean(JdbcClient.class);
    long before =
        jdbc.sql("select count(*) from policy_violations where direction = 'output'")
            .query(Long.class)
            .single();

    v1.upstream.enqueue(ChatWire.text(threat));
    V1Engine.Reply whole = v1.post("{" + HI + "}", Map.of());
    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.body().at("/choices/0/finish_reason").asString()).isEqualTo("content_filter");
    assertThat(whole.body().at("/choices/0/message/content").asString("")).isEmpty();
    assertThat(whole.body().toString()).doesNotContain("kill");

    v1.upstream.enqueue(ChatWire.text(threat));
    List<JsonNode> chunks = v1.streamChunks("{" + HI + ",\"stream\":true}");
    assertThat(chunks.getLast().at("/choices/0/finish_reason").asString())
        .isEqualTo("content_filter");

    assertThat(
            jdbc.sql("select count(*) from policy_violations where direction = 'output'")
                .query(Long.class)
                .single())
        .isEqualTo(before + 2);
  }

  @Test
  void streamsToolCallsInOpenAisShape() {
    v1.upstream.enqueue(ChatWire.toolCall("call_7", "weather", List.of("{\"city\"", ":\"Oslo\"}")));
    List<String> lines =
        v1.streamLines(
            "{"
                + HI
                + ","
                + TOOLS
                + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    List<JsonNode> chunks =
        lines.stream()
            .filter(line -> line.startsWith("data: {"))
            .map(line -> V1Engine.JSON.readTree(line.substring(6)))
            .toList();
    assertThat(lines).contains("data: [DONE]");
    JsonNode first = chunks.getFirst().at("/choices/0/delta");
    assertThat(first.get("role").asString()).isEqualTo("assistant");
    assertThat(first.at("/tool_calls/0/id").asString()).isEqualTo("call_7");
    assertThat(first.at("/tool_calls/0/type").asString()).isEqualTo("function");
    assertThat(first.at("/tool_calls/0/function/name").asString()).isEqualTo("weather");
    StringBuilder arguments = new StringBuilder();
    for (JsonNode chunk : chunks) {
      JsonNode call = chunk.at("/choices/0/delta/tool_calls/0");
      if (!call.isMissingNode()) {
        assertThat(call.get("index").asInt()).isZero();
        arguments.append(call.at("/function/arguments").asString());
        if (chunk != chunks.getFirst()) {
          assertThat(call.has("id")).isFalse();
        }
      }
    }
    assertThat(arguments.toString()).isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asString())
        .isEqualTo("tool_calls");
    assertThat(chunks.getLast().at("/usage/prompt_tokens").asInt()).isEqualTo(40);
  }

  @Test
  void parallelCallsComeOutWholeAndStreamByIndex() {
    v1.upstream.enqueue(ChatWire.parallelCalls());
    JsonNode calls =
        v1.post("{" + HI + "," + TOOLS + "}", Map.of()).body().at("/choices/0/message/tool_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.at("/0/id").asString()).isEqualTo("call_a");
    assertThat(calls.at("/0/function/arguments").asString()).isEqualTo("{\"city\":\"Rome\"}");
    assertThat(calls.at("/1/id").asString()).isEqualTo("call_b");
    assertThat(calls.at("/1/function/name").asString()).isEqualTo("time");
    assertThat(calls.at("/1/function/arguments").asString()).isEqualTo("{\"zone\":\"CET\"}");

    v1.upstream.enqueue(ChatWire.parallelCalls());
    List<JsonNode> chunks = v1.streamChunks("{" + HI + "," + TOOLS + ",\"stream\":true}");
    StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
    int opened = 0;
    for (JsonNode chunk : chunks) {
      JsonNode call = chunk.at("/choices/0/delta/tool_calls/0");
      if (!call.isMissingNode()) {
        arguments[call.get("index").asInt()].append(call.at("/function/arguments").asString());
        opened += call.has("id") ? 1 : 0;
      }
    }
    assertThat(opened).isEqualTo(2);
    assertThat(arguments[0].toString()).isEqualTo("{\"city\":\"Rome\"}");
    assertThat(arguments[1].toString()).isEqualTo("{\"zone\":\"CET\"}");
  }

  @Test
  void streamsReasoningAsReasoningContent() {
    v1.upstream.enqueue(ChatWire.text("let me think", List.of("Yes", ".")));
    List<JsonNode> chunks =
        v1.streamChunks("{" + HI + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    StringBuilder reasoning = new StringBuilder();
    StringBuilder content = new StringBuilder();
    for (JsonNode chunk : chunks) {
      reasoning.append(chunk.at("/choices/0/delta/reasoning_content").asString(""));
      content.append(chunk.at("/choices/0/delta/content").asString(""));
    }
    assertThat(reasoning.toString()).isEqualTo("let me think");
    assertThat(content.toString()).isEqualTo("Yes.");
    assertThat(chunks.getLast().at("/usage/completion_tokens_details/reasoning_tokens").asInt())
        .isEqualTo(5);
    assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asString())
        .isEqualTo("stop");
  }
}
