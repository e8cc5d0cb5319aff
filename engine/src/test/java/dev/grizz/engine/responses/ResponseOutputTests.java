package dev.grizz.engine.responses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.ModelRef;
import dev.grizz.engine.llm.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Output items and events as an answer's pieces arrive, in the orders vendors send them. */
class ResponseOutputTests {

  static final JsonMapper JSON = JsonMapper.shared();
  final List<ObjectNode> events = new ArrayList<>();
  final ResponseOutput output =
      new ResponseOutput(
          JSON,
          "abc",
          events::add,
          model -> JSON.createObjectNode().put("model", model).put("status", "in_progress"));

  List<String> types() {
    return events.stream().map(event -> event.get("type").asString()).toList();
  }

  @Test
  void nothingIsSentUntilTheFirstPieceAndThenNamesTheModelThatAnswers() {
    output.attempting(new ModelRef("openai", "gpt-4o"));
    assertThat(events).isEmpty();
    assertThat(output.started()).isFalse();
    output.accept("Hi");
    assertThat(events.getFirst().get("response").get("model").asString())
        .isEqualTo("openai/gpt-4o");
    assertThat(types().subList(0, 2)).containsExactly("response.created", "response.in_progress");
  }

  @Test
  void parallelCallsStreamSideBySideAndEndWhole() {
    output.toolCall(new ToolCallDelta(0, "call_a", "f", ""));
    output.toolCall(new ToolCallDelta(1, "call_b", null, ""));
    output.toolCall(new ToolCallDelta(0, null, null, "{\"x\""));
    output.toolCall(new ToolCallDelta(1, null, "g", "{}"));
    output.toolCall(new ToolCallDelta(0, null, null, ":1}"));
    ArrayNode items = output.finish();

    assertThat(items).hasSize(2);
    assertThat(items.get(0).get("id").asString()).isEqualTo("fc_abc_0");
    assertThat(items.get(0).get("call_id").asString()).isEqualTo("call_a");
    assertThat(items.get(0).get("arguments").asString()).isEqualTo("{\"x\":1}");
    assertThat(items.get(1).get("call_id").asString()).isEqualTo("call_b");
    // Named after its first piece: the name still reaches the item.
    assertThat(items.get(1).get("name").asString()).isEqualTo("g");
    assertThat(items.get(1).get("arguments").asString()).isEqualTo("{}");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).get("sequence_number").asInt()).isEqualTo(i);
    }
    assertThat(types())
        .endsWith(
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.function_call_arguments.done",
            "response.output_item.done");
  }

  @Test
  void textAfterACallIsAMessageItemOfItsOwn() {
    output.accept("Let me look. ");
    output.toolCall(new ToolCallDelta(0, "call_a", "f", "{}"));
    output.accept("Done.");
    ArrayNode items = output.finish();

    assertThat(items)
        .extracting(item -> item.get("type").asString())
        .containsExactly("message", "function_call", "message");
    assertThat(items.get(0).get("content").get(0).get("text").asString())
        .isEqualTo("Let me look. ");
    assertThat(items.get(2).get("id").asString()).isEqualTo("msg_abc_2");
    // The first message ended when the call began, before the call's events.
    assertThat(types().indexOf("response.output_text.done"))
        .isLessThan(types().indexOf("response.function_call_arguments.delta"));
  }

  @Test
  void anAnswerWithNothingInItEndsWithTheLastEventAlone() {
    ArrayNode items = output.finish();
    assertThat(items).isEmpty();
    assertThat(events).isEmpty();
    output.end("response.completed", JSON.createObjectNode().put("status", "completed"));
    assertThat(types())
        .containsExactly("response.created", "response.in_progress", "response.completed");
  }

  @Test
  void aFailedServerCallEndsTheOpenMessageAndCarriesItsErrorWithoutOutput() {
    output.accept("Let me look.");
    output.serverCall("current_time", "{\"timezone\":\"Mars\"}", null, "unknown zone");
    ArrayNode items = output.finish();

    assertThat(items).hasSize(2);
    assertThat(items.get(0).get("type").asString()).isEqualTo("message");
    ObjectNode call = (ObjectNode) items.get(1);
    assertThat(call.get("type").asString()).isEqualTo("mcp_call");
    assertThat(call.get("id").asString()).isEqualTo("mcp_abc_1");
    assertThat(call.get("server_label").asString()).isEqualTo("grizz");
    assertThat(call.get("status").asString()).isEqualTo("failed");
    assertThat(call.get("output").isNull()).isTrue();
    assertThat(call.get("error").asString()).isEqualTo("unknown zone");
    assertThat(types())
        .containsSubsequence(
            "response.output_item.done",
            "response.output_item.added",
            "response.mcp_call_arguments.done",
            "response.mcp_call.in_progress",
            "response.mcp_call.failed",
            "response.output_item.done");
  }
}
