package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every vendor adapter promises, run against a fake server speaking that vendor's wire. */
abstract class ProviderContract {

  final FakeUpstream upstream = new FakeUpstream();

  abstract LlmProvider provider();

  /** The vendor's stream of these pieces with this usage. */
  abstract List<String> stream(List<String> pieces, int prompt, int completion);

  /** The vendor's error body for a status. */
  abstract String errorBody(String type, String message);

  final LlmRequest request =
      new LlmRequest(
          "model-x",
          List.of(new ChatMessage(Role.SYSTEM, "be brief"), new ChatMessage(Role.USER, "hello")));

  @AfterEach
  void stop() {
    upstream.close();
  }

  private LlmOutcome run(List<String> received) {
    return provider().stream(request, received::add, new CancelSignal());
  }

  @Test
  void streamsTheTextAndTheReportedUsage() {
    upstream.enqueue(FakeUpstream.sse(stream(List.of("Hel", "lo", " there"), 21, 3)));
    List<String> received = new ArrayList<>();

    LlmOutcome outcome = run(received);

    assertThat(received).containsExactly("Hel", "lo", " there");
    assertThat(outcome).isInstanceOf(LlmOutcome.Completed.class);
    assertThat(outcome.usage()).isEqualTo(new Usage(21, 3, false));
  }

  @Test
  void sendsTheConversationInTheVendorsShape() {
    upstream.enqueue(FakeUpstream.sse(stream(List.of("ok"), 1, 1)));
    run(new ArrayList<>());

    String body = upstream.requests.peek();
    assertThat(body)
        .contains("\"model\":\"model-x\"")
        .contains("hello")
        .contains("be brief")
        .contains("\"stream\":true");
  }

  @Test
  void aRateLimitIsRetryableAndCarriesRetryAfter() {
    upstream.enqueue(
        FakeUpstream.status(
            429, Map.of("Retry-After", "7"), errorBody("rate_limit_error", "slow down")));

    LlmOutcome outcome = run(new ArrayList<>());

    assertThat(outcome)
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.RATE_LIMITED);
              assertThat(failed.retryable()).isTrue();
              assertThat(failed.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            });
  }

  @Test
  void aServerErrorIsRetryable() {
    upstream.enqueue(FakeUpstream.status(500, Map.of(), errorBody("api_error", "boom")));

    assertThat(run(new ArrayList<>()))
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
              assertThat(failed.retryable()).isTrue();
            });
  }

  @Test
  void aBadKeyIsNotRetryable() {
    upstream.enqueue(
        FakeUpstream.status(401, Map.of(), errorBody("authentication_error", "bad key")));

    assertThat(run(new ArrayList<>()))
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.AUTH_FAILED);
              assertThat(failed.retryable()).isFalse();
            });
  }

  @Test
  void anOverlongContextIsReportedAsSuch() {
    upstream.enqueue(
        FakeUpstream.status(
            400,
            Map.of(),
            errorBody(
                "invalid_request_error",
                "This model's maximum context length is 128000 tokens (context_length_exceeded)")));

    assertThat(run(new ArrayList<>()))
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> assertThat(failed.code()).isEqualTo(ErrorCode.CONTEXT_TOO_LONG));
  }

  @Test
  void aStreamCutMidWayFailsAndKeepsWhatCame() {
    List<String> frames = stream(List.of("one ", "two ", "three"), 5, 3);
    upstream.enqueue(
        FakeUpstream.sse(frames, Duration.ZERO, Duration.ofMillis(5), frames.size() - 4));
    List<String> received = new ArrayList<>();

    LlmOutcome outcome = run(received);

    assertThat(received).isNotEmpty();
    assertThat(outcome)
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> assertThat(failed.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
  }

  @Test
  void aMalformedStreamIsAFailureNotACrash() {
    upstream.enqueue(FakeUpstream.sse(List.of("data: {this is not json\n\n", "data: [DONE]\n\n")));

    assertThat(run(new ArrayList<>())).isInstanceOf(LlmOutcome.Failed.class);
  }

  @Test
  void cancellingClosesTheUpstreamConnection() {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      pieces.add("w" + i + " ");
    }
    upstream.enqueue(
        FakeUpstream.sse(stream(pieces, 5, 200), Duration.ZERO, Duration.ofMillis(20), -1));
    CancelSignal cancel = new CancelSignal();
    List<String> received = new ArrayList<>();

    LlmOutcome outcome =
        provider().stream(
            request,
            piece -> {
              received.add(piece);
              if (received.size() == 3) {
                cancel.cancel();
              }
            },
            cancel);

    assertThat(outcome).isInstanceOf(LlmOutcome.Cancelled.class);
    assertThat(received).hasSizeLessThan(10);
    // The server sees its writes fail: the connection was closed, not just ignored.
    await().atMost(Duration.ofSeconds(5)).until(() -> upstream.hangUps.get() == 1);
  }
}
