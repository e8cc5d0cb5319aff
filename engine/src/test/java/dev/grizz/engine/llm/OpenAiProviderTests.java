package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.openai.OpenAiCompatibleProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible adapter (OpenAI, Mistral, local servers) against OpenAI's wire format. */
class OpenAiProviderTests extends ProviderContract {

  private final LlmProvider provider =
      new OpenAiCompatibleProvider(
          "openai",
          upstream.url("/v1"),
          "sk-test",
          List.of("model-x"),
          true,
          Duration.ofSeconds(5),
          false);

  @Override
  LlmProvider provider() {
    return provider;
  }

  @Override
  List<String> stream(List<String> pieces, int prompt, int completion) {
    return FakeUpstream.openAiStream(pieces, prompt, completion);
  }

  @Override
  String errorBody(String type, String message) {
    return "{\"error\":{\"message\":"
        + FakeUpstream.quote(message)
        + ",\"type\":\""
        + type
        + "\",\"param\":null,\"code\":null}}";
  }

  @Test
  void asksForUsageInTheStream() {
    upstream.enqueue(FakeUpstream.sse(stream(List.of("ok"), 1, 1)));
    provider.stream(request, new ArrayList<String>()::add, new CancelSignal());

    assertThat(upstream.requests.peek()).contains("\"stream_options\":{\"include_usage\":true}");
  }

  @Test
  void aStreamWithoutUsageLeavesItUnknownRatherThanZero() {
    List<String> frames = new ArrayList<>(stream(List.of("ok"), 1, 1));
    frames.removeIf(frame -> frame.contains("\"usage\""));
    upstream.enqueue(FakeUpstream.sse(frames));

    LlmOutcome outcome = provider.stream(request, new ArrayList<String>()::add, new CancelSignal());

    assertThat(outcome).isInstanceOf(LlmOutcome.Completed.class);
    assertThat(outcome.usage()).isEqualTo(Usage.UNKNOWN);
  }
}
