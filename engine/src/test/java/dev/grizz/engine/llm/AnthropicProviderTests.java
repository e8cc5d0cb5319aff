package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.anthropic.AnthropicProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The Anthropic adapter against the Messages API's streaming events. */
class AnthropicProviderTests extends ProviderContract {

  private static final JsonMapper JSON = JsonMapper.shared();

  private final LlmProvider provider = provider(upstream.url(basePath));

  AnthropicProviderTests() {
    super("", "/v1/messages");
  }

  @Override
  LlmProvider provider() {
    return provider;
  }

  @Override
  LlmProvider provider(String baseUrl) {
    return new AnthropicProvider(
        "anthropic", baseUrl, "sk-ant-test", List.of("model-x"), 1024, Duration.ofSeconds(5));
  }

  /** The error comes before content_block_stop, message_delta and message_stop. */
  @Override
  List<String> streamWithAnError(List<String> pieces, String message) {
    List<String> frames = new ArrayList<>(stream(pieces, 4, 2));
    frames.add(
        frames.size() - 3,
        FakeUpstream.anthropicEvent(
            "error",
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":"
                + FakeUpstream.quote(message)
                + "}}"));
    return frames;
  }

  @Override
  Map<String, String> vendorHeaders() {
    return Map.of("x-api-key", "sk-ant-test", "anthropic-version", "2023-06-01");
  }

  /** The system messages are joined and sent apart, with the token limit the API requires. */
  @Override
  String conversationBody() {
    return """
        {"model":"model-x",
         "max_tokens":1024,
         "stream":true,
         "system":"be brief\\n\\nin English",
         "messages":[{"role":"user","content":"say \\"hi\\"\\nthen stop"},
                     {"role":"assistant","content":"héllo ✓"},
                     {"role":"user","content":"again"}]}
        """;
  }

  @Override
  List<String> stream(List<String> pieces, int prompt, int completion) {
    return FakeUpstream.anthropicStream(pieces, prompt, completion);
  }

  @Override
  String errorBody(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\""
        + type
        + "\",\"message\":"
        + FakeUpstream.quote(message)
        + "}}";
  }

  @Test
  void sendsTheSystemPromptApartAndAMaxTokens() {
    upstream.enqueue(FakeUpstream.sse(stream(List.of("ok"), 1, 1)));
    provider.stream(request, DeltaSink.textOnly(new ArrayList<String>()::add), new CancelSignal());

    assertThat(upstream.requests.peek())
        .contains("\"system\":\"be brief\"")
        .contains("\"max_tokens\":1024");
  }

  @Test
  void withoutASystemMessageNoSystemIsSent() {
    upstream.enqueue(FakeUpstream.sse(stream(List.of("ok"), 1, 1)));
    LlmRequest userOnly = new LlmRequest("model-x", List.of(new ChatMessage(Role.USER, "hello")));

    provider.stream(userOnly, DeltaSink.textOnly(new ArrayList<String>()::add), new CancelSignal());

    assertThat(JSON.readTree(upstream.requests.peek()).has("system")).isFalse();
  }

  @Test
  void theErrorsMessageIsReadFromItsBody() {
    upstream.enqueue(
        FakeUpstream.status(
            400,
            Map.of(),
            errorBody("invalid_request_error", "prompt is too long: 210000 tokens > 200000")));

    assertThat(provider.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.CONTEXT_TOO_LONG);
              assertThat(failed.message())
                  .isEqualTo("400: prompt is too long: 210000 tokens > 200000");
            });
  }

  @Test
  void cachedInputTokensCountAsInput() {
    List<String> frames = new ArrayList<>(stream(List.of("ok"), 10, 1));
    frames.set(
        0,
        frames
            .get(0)
            .replace(
                "\"input_tokens\":10",
                "\"input_tokens\":10,\"cache_creation_input_tokens\":null,"
                    + "\"cache_read_input_tokens\":3000"));
    upstream.enqueue(FakeUpstream.sse(frames));

    assertThat(provider.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal()).usage())
        .isEqualTo(new Usage(3010, 1, false, 3000, null));
  }

  @Test
  void theStopReasonIsKeptAndARefusalIsFiltered() {
    upstream.enqueue(
        FakeUpstream.sse(
            stream(List.of("a"), 1, 1).stream()
                .map(frame -> frame.replace("end_turn", "max_tokens"))
                .toList()),
        FakeUpstream.sse(
            stream(List.of("a"), 1, 1).stream()
                .map(frame -> frame.replace("end_turn", "refusal"))
                .toList()));

    assertThat(provider.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal()))
        .isEqualTo(new LlmOutcome.Completed(FinishReason.LENGTH, new Usage(1, 1, false)));
    assertThat(provider.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> assertThat(failed.code()).isEqualTo(ErrorCode.CONTENT_FILTERED));
  }

  @Test
  void aStreamWithoutMessageStopIsAFailure() {
    List<String> frames = new ArrayList<>(stream(List.of("par", "tial"), 4, 2));
    frames.removeLast();
    upstream.enqueue(FakeUpstream.sse(frames));
    List<String> received = new ArrayList<>();

    assertThat(provider.stream(request, DeltaSink.textOnly(received::add), new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
              assertThat(failed.usage()).isEqualTo(new Usage(4, 2, false));
            });
    assertThat(received).containsExactly("par", "tial");
  }
}
