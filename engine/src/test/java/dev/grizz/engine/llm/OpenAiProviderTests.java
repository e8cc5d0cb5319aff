package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.openai.OpenAiCompatibleProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible adapter (OpenAI, Mistral, local servers) against OpenAI's wire format. */
class OpenAiProviderTests extends ProviderContract {

  private final LlmProvider provider = provider(upstream.url(basePath));

  OpenAiProviderTests() {
    super("/v1", "/v1/chat/completions");
  }

  @Override
  LlmProvider provider() {
    return provider;
  }

  @Override
  LlmProvider provider(String baseUrl) {
    return new OpenAiCompatibleProvider(
        "openai", baseUrl, "sk-test", List.of("model-x"), true, Duration.ofSeconds(5), false);
  }

  @Override
  List<String> streamWithAnError(List<String> pieces, String message) {
    List<String> frames = new ArrayList<>();
    pieces.forEach(piece -> frames.add(FakeUpstream.openAiChunk(piece, null)));
    frames.add(
        "data: {\"error\":{\"message\":"
            + FakeUpstream.quote(message)
            + ",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n");
    frames.add(FakeUpstream.openAiChunk("lo", "stop"));
    frames.add("data: [DONE]\n\n");
    return frames;
  }

  @Override
  Map<String, String> vendorHeaders() {
    return Map.of("Authorization", "Bearer sk-test");
  }

  @Override
  String conversationBody() {
    return """
        {"model":"model-x",
         "messages":[{"role":"system","content":"be brief"},
                     {"role":"user","content":"say \\"hi\\"\\nthen stop"},
                     {"role":"assistant","content":"héllo ✓"},
                     {"role":"system","content":"in English"},
                     {"role":"user","content":"again"}],
         "stream":true,
         "stream_options":{"include_usage":true}}
        """;
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
    provider.stream(request, DeltaSink.textOnly(new ArrayList<String>()::add), new CancelSignal());

    assertThat(upstream.requests.peek()).contains("\"stream_options\":{\"include_usage\":true}");
  }

  @Test
  void aServerWithoutAKeyIsSentTheKeyNone() {
    upstream.enqueue(FakeUpstream.sse(stream(List.of("ok"), 1, 1)));
    LlmProvider keyless =
        new OpenAiCompatibleProvider(
            "local",
            upstream.url("/v1"),
            (String) null,
            List.of(),
            true,
            Duration.ofSeconds(5),
            true);

    keyless.stream(request, DeltaSink.textOnly(new ArrayList<String>()::add), new CancelSignal());

    assertThat(upstream.authorizations).containsExactly("Bearer none");
  }

  @Test
  void theErrorsCodeAndABareErrorStringAreRead() {
    upstream.enqueue(
        FakeUpstream.status(
            400,
            Map.of(),
            "{\"error\":{\"message\":\"Please shorten your messages.\",\"type\":"
                + "\"invalid_request_error\",\"param\":\"messages\",\"code\":"
                + "\"context_length_exceeded\"}}"),
        FakeUpstream.status(404, Map.of(), "{\"error\":\"model 'llama9' not found\"}"));

    LlmOutcome tooLong =
        provider.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal());
    LlmOutcome notFound =
        provider.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal());

    assertThat(tooLong)
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.CONTEXT_TOO_LONG);
              assertThat(failed.message()).isEqualTo("400: Please shorten your messages.");
            });
    assertThat(notFound)
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> assertThat(failed.message()).isEqualTo("404: model 'llama9' not found"));
  }

  @Test
  void aSilenceLongerThanTheReadTimeoutFailsTheAttempt() {
    upstream.enqueue(
        FakeUpstream.sse(stream(List.of("late"), 1, 1), Duration.ofSeconds(3), Duration.ZERO, -1));
    LlmProvider impatient =
        new OpenAiCompatibleProvider(
            "openai", upstream.url("/v1"), "sk", List.of(), true, Duration.ofMillis(300), false);

    assertThat(impatient.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
              assertThat(failed.message()).containsAnyOf("timeout", "timed out");
            });
  }

  @Test
  void usageNullOnEveryChunkIsNotAReport() {
    List<String> frames = new ArrayList<>();
    for (String frame : stream(List.of("a", "b"), 4, 2)) {
      frames.add(
          frame.contains("\"usage\"") || !frame.contains("choices")
              ? frame
              : frame.replace("}]}", "}],\"usage\":null}"));
    }
    upstream.enqueue(FakeUpstream.sse(frames));

    assertThat(provider.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal()).usage())
        .isEqualTo(new Usage(4, 2, false));
  }

  @Test
  void aStreamWithoutUsageLeavesItUnknownRatherThanZero() {
    List<String> frames = new ArrayList<>(stream(List.of("ok"), 1, 1));
    frames.removeIf(frame -> frame.contains("\"usage\""));
    upstream.enqueue(FakeUpstream.sse(frames));

    LlmOutcome outcome =
        provider.stream(
            request, DeltaSink.textOnly(new ArrayList<String>()::add), new CancelSignal());

    assertThat(outcome).isInstanceOf(LlmOutcome.Completed.class);
    assertThat(outcome.usage()).isEqualTo(Usage.UNKNOWN);
  }
}
