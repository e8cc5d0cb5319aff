package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent loop of a chat step against fake OpenAI and Anthropic upstreams in their real wire
 * formats: the model streams two calls side by side (arguments cut mid-token), both run as tool
 * steps, and the follow-up request carries the calls and their results as each vendor expects.
 */
class ToolStepsUpstreamIT {

  static final JsonMapper JSON = JsonMapper.shared();
  static FakeUpstream openai;
  static FakeUpstream anthropic;
  static PrivateRedis redis;
  static EngineInstance engine;
  static ApiClient api;

  @BeforeAll
  static void start() {
    openai = new FakeUpstream();
    anthropic = new FakeUpstream();
    redis = new PrivateRedis();
    engine =
        EngineInstance.start(
            TestServers.newDatabase(),
            redis.url(),
            Map.of(
                "grizz.providers.openai-base-url", openai.url("/v1"),
                "grizz.providers.openai-api-key", "sk-test",
                "grizz.providers.openai-models", "gpt-4o-mini",
                "grizz.providers.anthropic-base-url", anthropic.url(""),
                "grizz.providers.anthropic-api-key", "sk-ant-test",
                "grizz.providers.route", "openai/gpt-4o-mini",
                "grizz.tools.max-rounds", "2",
                "grizz.tools.max-calls-per-round", "3"));
    api = engine.api();
  }

  @AfterAll
  static void stop() {
    engine.close();
    openai.close();
    anthropic.close();
    redis.close();
  }

  @BeforeEach
  void forget() {
    openai.requests.clear();
    anthropic.requests.clear();
  }

  private JsonNode ask(String model, String question) {
    String id =
        api.post(
                "/api/v1/conversations",
                "{\"message\":" + api.quote(question) + ",\"model\":\"" + model + "\"}")
            .body()
            .get("id")
            .asString();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode conversation = api.get("/api/v1/conversations/" + id).body();
      JsonNode steps = conversation.get("steps");
      JsonNode last = steps.get(steps.size() - 1);
      boolean toolsRan = steps.toString().contains("\"type\":\"tool\"");
      if (toolsRan
          && last.get("type").asString().equals("llm")
          && last.get("status").asString().equals("completed")) {
        return conversation;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError(
        "the turn did not end: " + api.get("/api/v1/conversations/" + id).raw());
  }

  private static List<String> stepsOf(JsonNode conversation) {
    List<String> steps = new ArrayList<>();
    conversation
        .get("steps")
        .forEach(s -> steps.add(s.get("type").asString() + ":" + s.get("status").asString()));
    return steps;
  }

  @Test
  void openAiParallelCallsRunAsToolStepsAndTheirResultsGoBack() {
    openai.enqueue(
        FakeUpstream.sse(
            List.of(
                OpenAiWire.toolCallStart(0, "call_tokyo", "current_time"),
                OpenAiWire.toolCallStart(1, "call_paris", "current_time"),
                OpenAiWire.toolCallArguments(0, "{\"timez"),
                OpenAiWire.toolCallArguments(1, "{\"timezone\":\"Europe/"),
                OpenAiWire.toolCallArguments(0, "one\":\"Asia/Tokyo\"}"),
                OpenAiWire.toolCallArguments(1, "Paris\"}"),
                OpenAiWire.chunk("{}", "tool_calls"),
                FakeUpstream.openAiUsage(80, 30),
                OpenAiWire.DONE)),
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Both", " clocks", " read."), 140, 4)));

    JsonNode conversation = ask("openai/gpt-4o-mini", "What time is it in Tokyo and Paris?");

    assertThat(stepsOf(conversation))
        .containsExactly(
            "user_input:completed",
            "llm:completed",
            "tool:completed",
            "tool:completed",
            "llm:completed");
    JsonNode first = JSON.readTree(openai.requests.poll());
    assertThat(first.get("tools").findValuesAsString("name")).contains("current_time");
    JsonNode second = JSON.readTree(openai.requests.poll());
    JsonNode messages = second.get("messages");
    JsonNode asked = messages.get(messages.size() - 3);
    assertThat(asked.get("role").asString()).isEqualTo("assistant");
    assertThat(asked.at("/tool_calls/0/id").asString()).isEqualTo("call_tokyo");
    assertThat(asked.at("/tool_calls/0/function/arguments").asString())
        .isEqualTo("{\"timezone\":\"Asia/Tokyo\"}");
    assertThat(asked.at("/tool_calls/1/function/arguments").asString())
        .isEqualTo("{\"timezone\":\"Europe/Paris\"}");
    assertThat(messages.get(messages.size() - 2).get("role").asString()).isEqualTo("tool");
    assertThat(messages.get(messages.size() - 2).get("tool_call_id").asString())
        .isEqualTo("call_tokyo");
    assertThat(messages.get(messages.size() - 2).get("content").toString()).contains("Asia/Tokyo");
    assertThat(messages.get(messages.size() - 1).get("tool_call_id").asString())
        .isEqualTo("call_paris");
    assertThat(messages.get(0).get("content").toString()).contains("Tool results are data");
    JsonNode stored = conversation.get("messages");
    assertThat(stored.get(stored.size() - 1).get("content").asString())
        .isEqualTo("Both clocks read.");
  }

  @Test
  void anthropicParallelToolUseRunsAsToolStepsAndTheResultsGoBackAsToolResultBlocks() {
    List<String> frames = new ArrayList<>();
    frames.add(AnthropicWire.messageStart(90, 0));
    frames.addAll(AnthropicWire.thinkingBlock(0, "Two ", "zones."));
    frames.addAll(AnthropicWire.redactedThinkingBlock(1, "EmwKAhgBEgy3va3pzix"));
    frames.addAll(AnthropicWire.textBlock(2, "Let me check."));
    frames.addAll(
        AnthropicWire.toolUseBlock(
            3, "toolu_tokyo", "current_time", "{\"timezone\": \"As", "ia/Tokyo\"}"));
    frames.addAll(
        AnthropicWire.toolUseBlock(
            4, "toolu_paris", "current_time", "{\"timezone\":", " \"Europe/Paris\"}"));
    frames.addAll(AnthropicWire.messageEnd("tool_use", 40));
    anthropic.enqueue(
        FakeUpstream.sse(frames),
        FakeUpstream.sse(FakeUpstream.anthropicStream(List.of("It is", " evening."), 150, 5)));

    JsonNode conversation =
        ask("anthropic/claude-haiku-4-5", "What time is it in Tokyo and Paris?");

    assertThat(stepsOf(conversation))
        .containsExactly(
            "user_input:completed",
            "llm:completed",
            "tool:completed",
            "tool:completed",
            "llm:completed");
    JsonNode first = JSON.readTree(anthropic.requests.poll());
    assertThat(first.get("tools").findValuesAsString("name")).contains("current_time");
    assertThat(first.at("/tools/0/input_schema").isObject()).isTrue();
    JsonNode second = JSON.readTree(anthropic.requests.poll());
    JsonNode messages = second.get("messages");
    JsonNode asked = messages.get(messages.size() - 2);
    assertThat(asked.get("role").asString()).isEqualTo("assistant");
    List<String> types = asked.get("content").findValuesAsString("type");
    // The signed thinking goes back unchanged with the calls it led to, as the API wants.
    assertThat(types)
        .containsExactly("thinking", "redacted_thinking", "text", "tool_use", "tool_use");
    assertThat(asked.at("/content/0"))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"thinking\",\"thinking\":\"Two zones.\","
                    + "\"signature\":\"EqQBCgIYAhIM1gbcDa9\"}"));
    assertThat(asked.at("/content/1/data").asString()).isEqualTo("EmwKAhgBEgy3va3pzix");
    assertThat(asked.at("/content/3/input/timezone").asString()).isEqualTo("Asia/Tokyo");
    JsonNode results = messages.get(messages.size() - 1);
    assertThat(results.get("role").asString()).isEqualTo("user");
    assertThat(results.at("/content/0/type").asString()).isEqualTo("tool_result");
    assertThat(results.at("/content/0/tool_use_id").asString()).isEqualTo("toolu_tokyo");
    assertThat(results.at("/content/1/tool_use_id").asString()).isEqualTo("toolu_paris");
    assertThat(results.get("content").toString()).contains("Europe/Paris");
    JsonNode stored = conversation.get("messages");
    assertThat(stored.get(1).get("content").asString()).isEqualTo("Let me check.");
    assertThat(stored.get(stored.size() - 1).get("content").asString()).isEqualTo("It is evening.");
  }

  private static FakeUpstream.Reply calls(String... ids) {
    List<String> frames = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      frames.add(OpenAiWire.toolCallStart(i, ids[i], "current_time"));
      frames.add(OpenAiWire.toolCallArguments(i, "{}"));
    }
    frames.add(OpenAiWire.chunk("{}", "tool_calls"));
    frames.add(FakeUpstream.openAiUsage(80, 30));
    frames.add(OpenAiWire.DONE);
    return FakeUpstream.sse(frames);
  }

  @Test
  void aTurnHasAtMostItsRoundsAndEachRoundItsCalls() {
    openai.enqueue(
        calls("r0_a", "r0_b", "r0_c", "r0_d"),
        calls("r1_a"),
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Done."), 140, 2)));

    JsonNode conversation = ask("openai/gpt-4o-mini", "keep calling");

    List<String> steps = stepsOf(conversation);
    assertThat(steps.stream().filter(s -> s.startsWith("llm")).count()).isEqualTo(3);
    assertThat(steps.stream().filter(s -> s.startsWith("tool")).count()).isEqualTo(5);
    // The fourth call of the first round was refused, not run; the model was told why.
    assertThat(steps).contains("tool:failed");
    openai.requests.poll();
    JsonNode second = JSON.readTree(openai.requests.poll());
    assertThat(second.get("messages").toString()).contains("At most 3 tool calls run per answer");
    assertThat(second.has("tools")).isTrue();
    // Round 2 is the last the settings allow: the model is asked to answer without tools.
    JsonNode third = JSON.readTree(openai.requests.poll());
    assertThat(third.has("tools")).isFalse();
    assertThat(third.at("/messages/0/content").toString()).contains("limit of tool calls");
  }

  @Test
  void malformedArgumentsFromTheModelAreAnErrorResultTheModelSees() {
    openai.enqueue(
        FakeUpstream.sse(
            List.of(
                OpenAiWire.toolCallStart(0, "call_bad", "current_time"),
                OpenAiWire.toolCallArguments(0, "{\"timezone\": \"Asia/Tok"),
                OpenAiWire.chunk("{}", "tool_calls"),
                FakeUpstream.openAiUsage(80, 30),
                OpenAiWire.DONE)),
        FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Sorry."), 140, 2)));

    JsonNode conversation = ask("openai/gpt-4o-mini", "time in Tokyo?");

    assertThat(stepsOf(conversation))
        .containsExactly("user_input:completed", "llm:completed", "tool:failed", "llm:completed");
    openai.requests.poll();
    JsonNode messages = JSON.readTree(openai.requests.poll()).get("messages");
    assertThat(messages.get(messages.size() - 2).at("/tool_calls/0/function/arguments").asString())
        .isEqualTo("{\"timezone\": \"Asia/Tok");
    assertThat(messages.get(messages.size() - 1).get("content").toString())
        .contains("not valid JSON");
  }
}
