package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.anthropic.AnthropicProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Anthropic adapter against the Messages API's streaming events. */
class AnthropicProviderTests extends ProviderContract {

  private final LlmProvider provider =
      new AnthropicProvider(
          "anthropic",
          upstream.url(""),
          "sk-ant-test",
          List.of("model-x"),
          1024,
          Duration.ofSeconds(5));

  @Override
  LlmProvider provider() {
    return provider;
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
    provider.stream(request, new ArrayList<String>()::add, new CancelSignal());

    assertThat(upstream.requests.peek())
        .contains("\"system\":\"be brief\"")
        .contains("\"max_tokens\":1024");
  }

  @Test
  void anErrorEventMidStreamIsAFailure() {
    List<String> frames = new ArrayList<>(stream(List.of("par", "tial"), 4, 2));
    frames.add(
        4,
        FakeUpstream.anthropicEvent(
            "error",
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    upstream.enqueue(FakeUpstream.sse(frames.subList(0, 5)));
    List<String> received = new ArrayList<>();

    LlmOutcome outcome = provider.stream(request, received::add, new CancelSignal());

    assertThat(outcome).isInstanceOf(LlmOutcome.Failed.class);
  }
}
