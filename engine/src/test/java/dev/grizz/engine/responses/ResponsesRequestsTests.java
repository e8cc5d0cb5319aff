package dev.grizz.engine.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.RequestOptions;
import dev.grizz.engine.llm.ResponseFormat;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.responses.ResponsesErrors.RefusedException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading a Responses API request and its input items into the typed model. */
class ResponsesRequestsTests {

  static final JsonMapper JSON = JsonMapper.shared();

  static ResponsesRequests.Parsed parse(String body) {
    return ResponsesRequests.parse(JSON.readTree(body));
  }

  static List<ChatMessage> messages(String input, Map<String, String> references) {
    return ResponsesInput.read(
            JSON,
            List.of(),
            JSON.readTree(input),
            id -> references.containsKey(id) ? JSON.readTree(references.get(id)) : null)
        .messages();
  }

  static RefusedException refusal(Runnable call) {
    try {
      call.run();
    } catch (RefusedException e) {
      return e;
    }
    throw new AssertionError("not refused");
  }

  @Test
  void readsEveryFieldIntoTheTypedModel() {
    ResponsesRequests.Parsed parsed =
        parse(
            """
            {"model":"gpt-4o","input":"hi","instructions":"be brief","temperature":0.2,
             "top_p":0.9,"max_output_tokens":50,"parallel_tool_calls":false,"user":"u1",
             "reasoning":{"effort":"low","summary":"auto"},"stream":true,"store":false,
             "tool_choice":{"type":"function","name":"f"},
             "tools":[{"type":"function","name":"f","parameters":{"type":"object"}}],
             "text":{"format":{"type":"json_object"}},"metadata":{"k":"v"}}
            """);
    RequestOptions options = parsed.options();
    assertThat(parsed.model()).isEqualTo("gpt-4o");
    assertThat(parsed.instructions()).isEqualTo("be brief");
    assertThat(options.temperature()).isEqualTo(0.2);
    assertThat(options.topP()).isEqualTo(0.9);
    assertThat(options.maxOutputTokens()).isEqualTo(50);
    assertThat(options.parallelToolCalls()).isFalse();
    assertThat(options.user()).isEqualTo("u1");
    assertThat(options.reasoningEffort()).isEqualTo(RequestOptions.ReasoningEffort.LOW);
    assertThat(options.responseFormat()).isEqualTo(ResponseFormat.JSON_OBJECT);
    assertThat(parsed.toolChoice()).isEqualTo(ToolChoice.function("f"));
    assertThat(parsed.tools().getFirst().name()).isEqualTo("f");
    // Strict unless told otherwise, as OpenAI's Responses API holds function tools.
    assertThat(parsed.tools().getFirst().strict()).isTrue();
    assertThat(parsed.stream()).isTrue();
    assertThat(parsed.store()).isFalse();
  }

  @Test
  void refusesNamingTheResponsesField() {
    assertThat(refusal(() -> parse("{\"input\":\"x\",\"top_p\":3}")).param).isEqualTo("top_p");
    assertThat(refusal(() -> parse("{\"input\":\"x\",\"max_output_tokens\":-1}")).param)
        .isEqualTo("max_output_tokens");
    assertThat(refusal(() -> parse("{\"input\":\"x\",\"truncation\":\"auto\"}")).param)
        .isEqualTo("truncation");
    assertThat(refusal(() -> parse("{\"input\":\"x\",\"text\":{\"verbosity\":\"low\"}}")).param)
        .isEqualTo("text.verbosity");
    assertThat(
            refusal(
                    () ->
                        parse(
                            "{\"input\":\"x\",\"tools\":[{\"type\":\"function\",\"name\":\"f\","
                                + "\"parameters\":{},\"defer_loading\":true}]}"))
                .param)
        .isEqualTo("tools");
    assertThat(refusal(() -> parse("{\"input\":\"x\",\"tool_choice\":{\"type\":\"mcp\"}}")).param)
        .isEqualTo("tool_choice");
    assertThat(refusal(() -> parse("{\"input\":\"x\",\"tool_choice\":\"required\"}")).param)
        .isEqualTo("tool_choice");
    assertThat(
            refusal(
                    () ->
                        parse(
                            "{\"input\":\"x\",\"tool_choice\":{\"type\":\"function\",\"name\":\"g\"},"
                                + "\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{}}]}"))
                .param)
        .isEqualTo("tool_choice");
    assertThat(parse("{\"input\":\"x\",\"drop_params\":true}").options().dropUnsupported())
        .isTrue();
    assertThat(refusal(() -> parse("{\"input\":\"x\",\"conversation\":\"c\"}")).param)
        .isEqualTo("conversation");
    // Accepted without effect on the answer.
    parse(
        "{\"input\":\"x\",\"truncation\":\"disabled\",\"service_tier\":\"auto\",\"include\":[],"
            + "\"prompt_cache_key\":\"k\",\"background\":false}");
  }

  @Test
  void includeTakesOnlyWhatGrizzCanProduce() {
    // Input items are listed with their image URLs as sent: this value is honoured.
    parse("{\"input\":\"x\",\"include\":[\"message.input_image.image_url\"]}");
    for (String value :
        List.of(
            "reasoning.encrypted_content",
            "message.output_text.logprobs",
            "file_search_call.results",
            "web_search_call.action.sources",
            "code_interpreter_call.outputs",
            "a")) {
      RefusedException refused =
          refusal(() -> parse("{\"input\":\"x\",\"include\":[\"" + value + "\"]}"));
      assertThat(refused.param).isEqualTo("include");
      assertThat(refused.code).isEqualTo("unsupported_parameter");
      assertThat(refused.getMessage()).contains("'" + value + "'");
    }
    assertThat(refusal(() -> parse("{\"input\":\"x\",\"include\":\"a\"}")).param)
        .isEqualTo("include");
  }

  @Test
  void readsItemsIntoMessages() {
    List<ChatMessage> messages =
        messages(
            """
            [{"role":"developer","content":"rules"},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"look"},
               {"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"high"}]},
             {"type":"reasoning","id":"rs_1","summary":[]},
             {"role":"assistant","content":[{"type":"output_text","text":"calling"}]},
             {"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
             {"type":"function_call","call_id":"c2","name":"g","arguments":"{\\"a\\":1}"},
             {"type":"function_call_output","call_id":"c1","output":"one"},
             {"type":"function_call_output","call_id":"c2",
              "output":[{"type":"input_text","text":"two"}]},
             {"type":"item_reference","id":"msg_x"}]
            """,
            Map.of(
                "msg_x",
                "{\"type\":\"message\",\"role\":\"assistant\",\"content\":"
                    + "[{\"type\":\"output_text\",\"text\":\"done\"}]}"));
    assertThat(messages)
        .extracting(ChatMessage::role)
        .containsExactly(
            Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.ASSISTANT);
    assertThat(messages.get(1).parts().get(1))
        .isEqualTo(new ContentPart.Image("data:image/png;base64,AAAA", "high"));
    // Both calls join the assistant message before them, as Chat Completions wants them.
    assertThat(messages.get(2).text()).isEqualTo("calling");
    assertThat(messages.get(2).toolCalls())
        .extracting(call -> call.id())
        .containsExactly("c1", "c2");
    assertThat(messages.get(3).toolCallId()).isEqualTo("c1");
    assertThat(messages.get(4).text()).isEqualTo("two");
    assertThat(messages.get(5).text()).isEqualTo("done");
  }

  @Test
  void refusesItemsItCannotCarry() {
    assertThat(
            refusal(() -> messages("[{\"type\":\"item_reference\",\"id\":\"nope\"}]", Map.of()))
                .code)
        .isEqualTo("not_found");
    assertThat(
            refusal(() -> messages("[{\"type\":\"web_search_call\",\"id\":\"w\"}]", Map.of())).code)
        .isEqualTo("unsupported_parameter");
    assertThat(
            refusal(
                    () ->
                        messages(
                            "[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\","
                                + "\"file_id\":\"f\"}]}]",
                            Map.of()))
                .param)
        .isEqualTo("input");
    assertThat(refusal(() -> messages("[{\"role\":\"tool\",\"content\":\"x\"}]", Map.of())).param)
        .isEqualTo("input");
    assertThatThrownBy(
            () ->
                messages(
                    "[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\","
                        + "\"image_url\":\"ftp://x\"}]}]",
                    Map.of()))
        .hasMessageContaining("image");
  }

  @Test
  void keepsTheItemsWithReferencesReplaced() {
    JsonNode kept =
        ResponsesInput.read(
                JSON,
                List.of(JSON.readTree("{\"role\":\"user\",\"content\":\"earlier\"}")),
                JSON.readTree("\"now\""),
                id -> JSON.readTree("{\"role\":\"assistant\",\"content\":\"x\"}"))
            .items();
    assertThat(kept).hasSize(2);
    assertThat(kept.get(1).get("content").get(0).get("text").asString()).isEqualTo("now");
  }
}
