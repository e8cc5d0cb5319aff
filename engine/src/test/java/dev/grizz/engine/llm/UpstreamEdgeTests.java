package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.TestServers;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.openai.OpenAiCompatibleProvider;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real adapters at the edges: refused connections, late first tokens, Mistral's dialect, key files.
 */
class UpstreamEdgeTests {

  private final LlmRequest request =
      new LlmRequest("m", List.of(new ChatMessage(Role.USER, "hello")));

  private static OpenAiCompatibleProvider openAi(String name, String url, boolean askForUsage) {
    return new OpenAiCompatibleProvider(
        name, url, "sk", List.of("m"), askForUsage, Duration.ofSeconds(5), false);
  }

  @Test
  void aRefusedConnectionIsRetryable() {
    LlmProvider nowhere =
        openAi("openai", "http://127.0.0.1:" + TestServers.freePort() + "/v1", true);

    LlmOutcome outcome =
        nowhere.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal());

    assertThat(outcome)
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
              assertThat(failed.retryable()).isTrue();
              // What failed is named, with what lay under it.
              assertThat(failed.message()).contains("ConnectException");
            });
  }

  @Test
  void aLateFirstTokenHangsUpAndFallsBack() {
    try (FakeUpstream slow = new FakeUpstream();
        FakeUpstream quick = new FakeUpstream()) {
      slow.enqueue(
          FakeUpstream.sse(
              FakeUpstream.openAiStream(List.of("late"), 1, 1),
              Duration.ofSeconds(10),
              Duration.ofMillis(50),
              -1));
      quick.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("on time"), 1, 2)));
      LlmProvider a = openAi("a", slow.url("/v1"), true);
      LlmProvider b = openAi("b", quick.url("/v1"), true);
      LlmRouter router =
          Routers.router(
              Clock.systemUTC(),
              Routers.settings(List.of("a/m", "b/m"), "priority", Duration.ofSeconds(3)),
              List.of(),
              a,
              b);

      Completion completion =
          router.complete(
              new LlmRequest(LlmRouter.AUTO, request.messages()),
              DeltaSink.textOnly(t -> {}),
              new CancelSignal());

      assertThat(completion.text()).as(completion.attempts().toString()).isEqualTo("on time");
      assertThat(completion.attempts().getFirst().outcome())
          .isInstanceOfSatisfying(
              LlmOutcome.Failed.class,
              f -> assertThat(f.code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT));
      await().atMost(Duration.ofSeconds(20)).until(() -> slow.hangUps.get() == 1);
    }
  }

  @Test
  void mistralIsNotAskedForStreamOptionsAndItsUsageIsRead() {
    try (FakeUpstream mistral = new FakeUpstream()) {
      mistral.enqueue(FakeUpstream.sse(FakeUpstream.openAiStream(List.of("Bonjour"), 6, 2)));
      LlmProvider provider = openAi("mistral", mistral.url("/v1"), false);

      LlmOutcome outcome =
          provider.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal());

      assertThat(mistral.requests.peek()).doesNotContain("stream_options");
      assertThat(outcome.usage()).isEqualTo(new Usage(6, 2, false));
    }
  }

  @Test
  void keysMayComeFromFiles(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("openai");
    Files.writeString(key, "sk-from-file\n");
    ProviderSettings settings =
        new ProviderSettings(
            null,
            key,
            null,
            null,
            null,
            null,
            "http://a",
            10,
            null,
            null,
            "http://m",
            null,
            List.of(),
            "priority",
            Duration.ofSeconds(10),
            Duration.ofSeconds(5),
            null,
            false);

    assertThat(settings.openaiKey().get()).isEqualTo("sk-from-file");
    assertThat(settings.anthropicKey().get()).isNull();
    assertThat(settings.toString()).doesNotContain("sk-from-file");
  }

  @Test
  void aPriceRowWithoutACachedPriceStillCostsExactly() {
    ModelPrice price =
        new ModelPrice(
            "mistral",
            "m",
            new BigDecimal("200"),
            null,
            new BigDecimal("600"),
            LocalDate.of(2025, 1, 1),
            128000);

    assertThat(price.costCents(new Usage(1000, 500, false))).isEqualByComparingTo("0.5");
  }
}
