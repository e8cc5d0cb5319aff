package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.anthropic.AnthropicProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON output on Anthropic through a forced tool: what is sent, what is read, what is refused. */
class AnthropicJsonFormatTests {

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final JsonNode PERSON =
      JSON.readTree(
          "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
              + "\"required\":[\"name\"]}");

  private final FakeUpstream upstream = new FakeUpstream();
  private final AnthropicProvider provider =
      new AnthropicProvider(
          "anthropic", upstream.url(""), "k", List.of("m"), 1000, Duration.ofSeconds(5));

  @AfterEach
  void stop() {
    upstream.close();
  }

  private static LlmRequest request(RequestOptions options) {
    return new LlmRequest(
        "m", List.of(new ChatMessage(Role.USER, "who?")), List.of(), ToolChoice.AUTO, options);
  }

  private static RequestOptions format(ResponseFormat format) {
    return RequestOptions.builder().responseFormat(format).build();
  }

  @Test
  void aSchemaIsTheInputSchemaOfAForcedToolAndItsInputIsTheText() {
    upstream.enqueue(
        FakeUpstream.sse(
            AnthropicWire.message(
                12,
                0,
                "tool_use",
                7,
                AnthropicWire.toolUseBlock(
                    0, "toolu_j", "json_response", "{\"na", "me\":\"Ada\"}"))));
    AnswerBuffer answer = new AnswerBuffer();

    LlmOutcome outcome =
        provider.stream(
            request(format(ResponseFormat.jsonSchema("person", PERSON, false))),
            answer,
            new CancelSignal());

    JsonNode sent = JSON.readTree(upstream.requests.poll());
    assertThat(sent.path("tools"))
        .isEqualTo(
            JSON.createArrayNode()
                .add(
                    JSON.createObjectNode()
                        .put("name", "json_response")
                        .put("description", "Give the answer as a JSON object: person.")
                        .set("input_schema", PERSON)));
    assertThat(sent.path("tool_choice"))
        .isEqualTo(JSON.readTree("{\"type\":\"tool\",\"name\":\"json_response\"}"));
    assertThat(answer.text()).isEqualTo("{\"name\":\"Ada\"}");
    assertThat(answer.toolCalls()).isEmpty();
    assertThat(outcome)
        .isEqualTo(
            new LlmOutcome.Completed(FinishReason.STOP, new Usage(12, 7, false, 0, null, 0)));
  }

  @Test
  void anyObjectIsTheObjectSchemaAndAnEmptyInputIsTheEmptyObject() {
    upstream.enqueue(
        FakeUpstream.sse(
            AnthropicWire.message(
                12, 0, "tool_use", 7, AnthropicWire.toolUseBlock(0, "toolu_j", "json_response"))));
    AnswerBuffer answer = new AnswerBuffer();

    provider.stream(request(format(ResponseFormat.JSON_OBJECT)), answer, new CancelSignal());

    assertThat(JSON.readTree(upstream.requests.poll()).at("/tools/0/input_schema"))
        .isEqualTo(JSON.readTree("{\"type\":\"object\"}"));
    assertThat(answer.text()).isEqualTo("{}");
  }

  @Test
  void whatTheTechniqueCannotHonourIsRefused() {
    assertThat(provider.cannotHonour(request(format(ResponseFormat.jsonSchema("p", PERSON, true)))))
        .containsExactly(Feature.JSON_SCHEMA);
    assertThat(
            provider.cannotHonour(
                request(
                    format(
                        ResponseFormat.jsonSchema(
                            "p", JSON.readTree("{\"type\":\"array\"}"), false)))))
        .containsExactly(Feature.JSON_SCHEMA);
    assertThat(
            provider.cannotHonour(
                request(
                    RequestOptions.builder()
                        .responseFormat(ResponseFormat.JSON_OBJECT)
                        .thinkingBudget(2000)
                        .build())))
        .containsExactly(Feature.JSON_OBJECT);
    LlmRequest withTools =
        new LlmRequest(
            "m",
            List.of(new ChatMessage(Role.USER, "who?")),
            List.of(new ToolSpec("lookup", null, PERSON, false)),
            ToolChoice.AUTO,
            format(ResponseFormat.JSON_OBJECT));
    assertThat(provider.cannotHonour(withTools)).containsExactly(Feature.JSON_OBJECT);
    assertThat(
            provider.cannotHonour(request(format(ResponseFormat.jsonSchema("p", PERSON, false)))))
        .isEmpty();
  }
}
