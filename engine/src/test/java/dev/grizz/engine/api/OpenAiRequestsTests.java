package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.Feature;
import dev.grizz.engine.llm.InvalidRequestException;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.RequestOptions;
import dev.grizz.engine.llm.ResponseFormat;
import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.llm.ToolChoice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** Every Chat Completions field is carried into the typed request, or refused naming it. */
class OpenAiRequestsTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  private static OpenAiRequests.Parsed parse(String fields) {
    return OpenAiRequests.parse(
        JSON.readTree("{" + HI + (fields.isEmpty() ? "" : ",") + fields + "}"));
  }

  @Test
  void carriesEveryOption() {
    OpenAiRequests.Parsed parsed =
        parse(
            """
            "model":"openai/gpt-4o","temperature":0.5,"top_p":0.9,"max_completion_tokens":100,
            "stop":["END"],"seed":7,"presence_penalty":0.1,"frequency_penalty":-0.2,
            "logit_bias":{"50256":-100},"n":1,"user":"u-1","reasoning_effort":"low",
            "logprobs":true,"top_logprobs":3,"parallel_tool_calls":false,"drop_params":true,
            "stream":true,"stream_options":{"include_usage":true,"include_obfuscation":false},
            "metadata":{"a":"b"},"store":false,"service_tier":"auto\"""");
    RequestOptions options = parsed.request().options();
    assertThat(parsed.model()).isEqualTo("openai/gpt-4o");
    assertThat(options.temperature()).isEqualTo(0.5);
    assertThat(options.topP()).isEqualTo(0.9);
    assertThat(options.maxOutputTokens()).isEqualTo(100);
    assertThat(options.stop()).containsExactly("END");
    assertThat(options.seed()).isEqualTo(7L);
    assertThat(options.presencePenalty()).isEqualTo(0.1);
    assertThat(options.frequencyPenalty()).isEqualTo(-0.2);
    assertThat(options.logitBias()).isEqualTo(Map.of("50256", -100));
    assertThat(options.n()).isEqualTo(1);
    assertThat(options.user()).isEqualTo("u-1");
    assertThat(options.reasoningEffort()).isEqualTo(RequestOptions.ReasoningEffort.LOW);
    assertThat(options.logprobs()).isTrue();
    assertThat(options.topLogprobs()).isEqualTo(3);
    assertThat(options.parallelToolCalls()).isFalse();
    assertThat(options.dropUnsupported()).isTrue();
    assertThat(parsed.stream()).isTrue();
    assertThat(parsed.includeUsage()).isTrue();
  }

  @Test
  void stopMayBeAString() {
    assertThat(parse("\"stop\":\"END\"").request().options().stop()).containsExactly("END");
  }

  @Test
  void maxTokensIsTheOlderNameAndErrorsSayIt() {
    assertThat(parse("\"max_tokens\":5").request().options().maxOutputTokens()).isEqualTo(5);
    assertThat(parse("\"max_tokens\":5").param(Feature.MAX_OUTPUT_TOKENS)).isEqualTo("max_tokens");
    assertThatThrownBy(() -> parse("\"max_tokens\":0"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.param()).isEqualTo("max_tokens");
              assertThat(e.getMessage()).startsWith("max_tokens ");
            });
    assertThatThrownBy(() -> parse("\"max_completion_tokens\":0"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.param()).isEqualTo("max_completion_tokens"));
    assertThat(invalid("\"max_tokens\":5,\"max_completion_tokens\":5").param)
        .isEqualTo("max_tokens");
  }

  @Test
  void readsToolsChoiceAndTheConversationOfACall() {
    OpenAiRequests.Parsed parsed =
        OpenAiRequests.parse(
            JSON.readTree(
                """
                {"model":"m","messages":[
                  {"role":"developer","content":"be brief"},
                  {"role":"user","content":[{"type":"text","text":"weather in "},
                    {"type":"text","text":"Paris?"},
                    {"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}}]},
                  {"role":"assistant","content":null,"refusal":null,"tool_calls":[
                    {"id":"call_1","type":"function",
                     "function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"sunny"}],
                 "tools":[{"type":"function","function":{"name":"weather","description":"d",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}}},
                   "strict":true}}],
                 "tool_choice":{"type":"function","function":{"name":"weather"}}}
                """));
    LlmRequest request = parsed.request();
    assertThat(request.messages())
        .extracting(LlmRequest.ChatMessage::role)
        .containsExactly(
            LlmRequest.Role.SYSTEM,
            LlmRequest.Role.USER,
            LlmRequest.Role.ASSISTANT,
            LlmRequest.Role.TOOL);
    assertThat(request.messages().get(1).text()).isEqualTo("weather in Paris?");
    assertThat(request.messages().get(1).parts())
        .contains(new ContentPart.Image("https://x/y.png", "low"));
    assertThat(request.messages().get(2).toolCalls())
        .containsExactly(new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}"));
    assertThat(request.messages().get(3).toolCallId()).isEqualTo("call_1");
    assertThat(request.messages().get(3).text()).isEqualTo("sunny");
    assertThat(request.tools()).hasSize(1);
    assertThat(request.tools().getFirst().strict()).isTrue();
    assertThat(request.tools().getFirst().description()).isEqualTo("d");
    assertThat(request.toolChoice()).isEqualTo(ToolChoice.function("weather"));
    assertThat(request.features()).contains(Feature.TOOLS, Feature.TOOL_CHOICE, Feature.IMAGES);
  }

  @Test
  void readsToolChoiceStringsAndResponseFormats() {
    String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],";
    assertThat(parse(tools + "\"tool_choice\":\"required\"").request().toolChoice())
        .isEqualTo(ToolChoice.REQUIRED);
    assertThat(invalid("\"tool_choice\":\"required\"").param).isEqualTo("tool_choice");
    assertThat(
            invalid(tools + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}")
                .param)
        .isEqualTo("tool_choice");
    assertThat(parse("\"tool_choice\":\"none\"").request().toolChoice()).isEqualTo(ToolChoice.NONE);
    assertThat(
            parse("\"response_format\":{\"type\":\"json_object\"}")
                .request()
                .options()
                .responseFormat())
        .isEqualTo(ResponseFormat.JSON_OBJECT);
    ResponseFormat schema =
        parse(
                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\","
                    + "\"strict\":true,\"schema\":{\"type\":\"object\"}}}")
            .request()
            .options()
            .responseFormat();
    assertThat(schema.kind()).isEqualTo(ResponseFormat.Kind.JSON_SCHEMA);
    assertThat(schema.name()).isEqualTo("x");
    assertThat(schema.strict()).isTrue();
  }

  @Test
  void nullMeansNotGiven() {
    assertThat(parse("\"temperature\":null,\"tools\":null,\"stop\":null").request().features())
        .isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          "temperature":"hot"                                   | temperature    | invalid_type
          "max_tokens":1.5                                      | max_tokens     | invalid_type
          "stream":"yes"                                        | stream         | invalid_type
          "stop":[1]                                            | stop           | invalid_type
          "logit_bias":[1]                                      | logit_bias     | invalid_type
          "tools":{}                                            | tools          | invalid_type
          "tools":[{"type":"custom","custom":{"name":"x"}}]     | tools          | unsupported_parameter
          "tool_choice":"sometimes"                             | tool_choice    | invalid_value
          "tool_choice":{"type":"allowed_tools"}                | tool_choice    | unsupported_parameter
          "reasoning_effort":"extreme"                          | reasoning_effort | invalid_value
          "response_format":{"type":"grammar"}                  | response_format | unsupported_parameter
          "functions":[],"tools":[]                             | functions      | unsupported_parameter
          "function_call":"auto","tool_choice":"auto"           | function_call  | unsupported_parameter
          "functions":[{"name":"f"}],"function_call":"any"      | function_call  | invalid_value
          "audio":{"voice":"x"}                                 | audio          | unsupported_parameter
          "modalities":["text","audio"]                         | modalities     | unsupported_parameter
          "web_search_options":{}                               | web_search_options | unsupported_parameter
          "verbosity":"low"                                     | verbosity      | unsupported_parameter
          "stream_options":true                                 | stream_options | invalid_type
          "user":5                                              | user           | invalid_type
          """)
  void refusesNamingTheField(String field, String param, String code) {
    OpenAiRequests.InvalidException e = invalid(field);
    assertThat(e.param).isEqualTo(param);
    assertThat(e.code).isEqualTo(code);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"role":"user","content":5}                                  | messages[0].content | invalid_type
          {"role":"user","name":"bob","content":"hi"}                  | messages[0].name    | unsupported_parameter
          {"role":"user","content":[{"type":"input_audio"}]}           | messages[0].content | unsupported_parameter
          {"role":"system","content":[{"type":"image_url","image_url":{"url":"https://x"}}]} | messages[0].content | unsupported_parameter
          {"role":"tool","content":"x"}                                | messages[0].tool_call_id |
          {"role":"function","content":"x"}                            | messages[0].name    |
          {"role":"function","name":"f","content":"x"}                 | messages[0].name    | invalid_value
          {"role":"robot","content":"x"}                               | messages[0].role    | invalid_value
          {"role":"assistant","function_call":{"arguments":"{}"}}      | messages[0].function_call |
          {"role":"assistant","function_call":{"name":"f"},"tool_calls":[]} | messages[0].function_call | unsupported_parameter
          """)
  void refusesMessagesNamingThem(String message, String param, String code) {
    OpenAiRequests.InvalidException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            OpenAiRequests.InvalidException.class,
            () -> OpenAiRequests.parse(JSON.readTree("{\"messages\":[" + message + "]}")));
    assertThat(e.param).isEqualTo(param);
    assertThat(e.code).isEqualTo(code);
  }

  @Test
  void rangesAreCheckedByTheOptions() {
    assertThatThrownBy(() -> parse("\"temperature\":3"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("temperature"));
    assertThatThrownBy(() -> parse("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("stop"));
  }

  @Test
  void anAssistantEchoOfOurOwnAnswerIsAccepted() {
    List<LlmRequest.ChatMessage> messages =
        OpenAiRequests.parse(
                JSON.readTree(
                    """
                    {"messages":[{"role":"user","content":"q"},
                      {"role":"assistant","content":"a","refusal":null,"annotations":[],
                       "reasoning_content":"thought","parsed":null,"audio":null}]}
                    """))
            .messages();
    assertThat(messages.get(1).text()).isEqualTo("a");
  }

  private static OpenAiRequests.InvalidException invalid(String fields) {
    return org.junit.jupiter.api.Assertions.assertThrows(
        OpenAiRequests.InvalidException.class, () -> parse(fields));
  }
}
