package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.llm.CacheControl;
import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.InvalidRequestException;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.RequestOptions;
import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.security.FilterErrors;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Anthropic's Messages request, field by field, read into the engine's typed request. */
class AnthropicRequestsTests {

  private static final JsonMapper JSON = JsonMapper.shared();

  private static AnthropicRequests.Parsed parse(String body) {
    return AnthropicRequests.parse(JSON.readTree(body));
  }

  @Test
  void everyFieldIsRead() {
    AnthropicRequests.Parsed parsed =
        parse(
            """
            {"model":"claude-sonnet-4-5","max_tokens":4096,"stream":true,
             "system":[{"type":"text","text":"be brief","cache_control":{"type":"ephemeral"}},
                       {"type":"text","text":"in English"}],
             "messages":[
               {"role":"user","content":[
                 {"type":"text","text":"look"},
                 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}},
                 {"type":"image","source":{"type":"url","url":"https://e.com/a.jpg"}}]},
               {"role":"assistant","content":[
                 {"type":"thinking","thinking":"hmm","signature":"sig"},
                 {"type":"text","text":"calling"},
                 {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}]},
               {"role":"user","content":[
                 {"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"sunny"}]},
                 {"type":"tool_result","tool_use_id":"toolu_2","content":"no such city","is_error":true},
                 {"type":"text","text":"thanks"}]}],
             "tools":[{"name":"weather","description":"The weather","input_schema":{"type":"object"},
                       "cache_control":{"type":"ephemeral"}}],
             "tool_choice":{"type":"tool","name":"weather","disable_parallel_tool_use":true},
             "temperature":0.3,"top_p":0.8,"top_k":20,
             "stop_sequences":["END"],
             "metadata":{"user_id":"u-1"},
             "thinking":{"type":"enabled","budget_tokens":2048}}
            """);

    LlmRequest request = parsed.request();
    assertThat(parsed.stream()).isTrue();
    assertThat(request.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(request.messages())
        .containsExactly(
            // Kept apart: a block sets a cache breakpoint, which goes back where it was.
            new ChatMessage(
                Role.SYSTEM,
                List.of(
                    new ContentPart.Text("be brief", CacheControl.EPHEMERAL),
                    new ContentPart.Text("in English")),
                List.of(),
                null),
            new ChatMessage(
                Role.USER,
                List.of(
                    new ContentPart.Text("look"),
                    new ContentPart.Image("data:image/png;base64,AAAA", null),
                    new ContentPart.Image("https://e.com/a.jpg", null)),
                List.of(),
                null),
            new ChatMessage(
                Role.ASSISTANT,
                List.of(new ContentPart.Thinking("hmm", "sig"), new ContentPart.Text("calling")),
                List.of(new ToolCall("toolu_1", "weather", "{\"city\":\"Paris\"}")),
                null),
            ChatMessage.toolResult("toolu_1", "sunny"),
            ChatMessage.toolResult("toolu_2", "Error: no such city"),
            new ChatMessage(Role.USER, "thanks"));
    assertThat(request.tools()).hasSize(1);
    assertThat(request.tools().getFirst().name()).isEqualTo("weather");
    assertThat(request.tools().getFirst().description()).isEqualTo("The weather");
    assertThat(request.tools().getFirst().cache()).isEqualTo(CacheControl.EPHEMERAL);
    assertThat(request.tools().getFirst().parameters())
        .isEqualTo(JSON.readTree("{\"type\":\"object\"}"));
    assertThat(request.toolChoice()).isEqualTo(ToolChoice.function("weather"));
    assertThat(request.options())
        .isEqualTo(
            RequestOptions.builder()
                .maxOutputTokens(4096)
                .temperature(0.3)
                .topP(0.8)
                .topK(20)
                .stop(List.of("END"))
                .user("u-1")
                .thinkingBudget(2048)
                .parallelToolCalls(false)
                .build());
  }

  @Test
  void eachToolChoiceAndAPlainRequest() {
    String head =
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    assertThat(parse(head + ",\"tool_choice\":{\"type\":\"any\"}}").request().toolChoice())
        .isEqualTo(ToolChoice.REQUIRED);
    assertThat(parse(head + ",\"tool_choice\":{\"type\":\"none\"}}").request().toolChoice())
        .isEqualTo(ToolChoice.NONE);
    AnthropicRequests.Parsed plain = parse(head + "}");
    assertThat(plain.request().toolChoice()).isEqualTo(ToolChoice.AUTO);
    assertThat(plain.stream()).isFalse();
    assertThat(plain.request().features())
        .containsExactly(dev.grizz.engine.llm.Feature.MAX_OUTPUT_TOKENS);
    assertThat(parse(head + ",\"thinking\":{\"type\":\"disabled\"}}").request().options())
        .isEqualTo(RequestOptions.builder().maxOutputTokens(5).build());
  }

  @Test
  void whatTheApiRequiresOrTheEngineCannotHonourIsRefused() {
    String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    assertThatThrownBy(() -> parse("{\"model\":\"m\"," + hi + "}"))
        .isInstanceOf(AnthropicRequests.InvalidException.class)
        .hasMessageContaining("max_tokens");
    assertThatThrownBy(() -> parse("{\"max_tokens\":5," + hi + "}")).hasMessageContaining("model");
    assertThatThrownBy(
            () -> parse("{\"model\":\"m\",\"max_tokens\":5,\"temperature\":1.2," + hi + "}"))
        .hasMessageContaining("temperature");
    assertThatThrownBy(
            () -> parse("{\"model\":\"m\",\"max_tokens\":5,\"service_tier\":\"auto\"," + hi + "}"))
        .hasMessageContaining("service_tier");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"model\":\"m\",\"max_tokens\":5,"
                        + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],"
                        + hi
                        + "}"))
        .hasMessageContaining("web_search_20250305");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"document\",\"source\":{}}]}]}"))
        .hasMessageContaining("document");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}"))
        .hasMessageContaining("role");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"model\":\"m\",\"max_tokens\":5,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":10},"
                        + hi
                        + "}"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void anthropicsErrorTypeForEachStatus() {
    assertThat(FilterErrors.anthropicType(400)).isEqualTo("invalid_request_error");
    assertThat(FilterErrors.anthropicType(401)).isEqualTo("authentication_error");
    assertThat(FilterErrors.anthropicType(403)).isEqualTo("permission_error");
    assertThat(FilterErrors.anthropicType(404)).isEqualTo("not_found_error");
    assertThat(FilterErrors.anthropicType(413)).isEqualTo("request_too_large");
    assertThat(FilterErrors.anthropicType(429)).isEqualTo("rate_limit_error");
    assertThat(FilterErrors.anthropicType(500)).isEqualTo("api_error");
    assertThat(FilterErrors.anthropicType(502)).isEqualTo("api_error");
    assertThat(FilterErrors.anthropicType(503)).isEqualTo("overloaded_error");
    assertThat(FilterErrors.isAnthropicPath("/v1/messages")).isTrue();
    assertThat(FilterErrors.isAnthropicPath("/v1/messages/count_tokens")).isTrue();
    assertThat(FilterErrors.isAnthropicPath("/v1/messagesx")).isFalse();
    assertThat(FilterErrors.isAnthropicPath("/v1/chat/completions")).isFalse();
  }
}
