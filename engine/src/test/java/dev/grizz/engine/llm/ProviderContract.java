package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.Headers;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What every vendor adapter promises, run against a fake server speaking that vendor's wire. */
abstract class ProviderContract {

  final FakeUpstream upstream = new FakeUpstream();

  /** The path of the base URL an operator configures for the vendor. */
  final String basePath;

  /** Where the vendor's streaming requests go. */
  final String endpointPath;

  ProviderContract(String basePath, String endpointPath) {
    this.basePath = basePath;
    this.endpointPath = endpointPath;
  }

  abstract LlmProvider provider();

  /** The vendor's provider for a server at this base URL, as an operator would configure it. */
  abstract LlmProvider provider(String baseUrl);

  /** The headers, besides the content types, with which the vendor's API takes a request. */
  abstract Map<String, String> vendorHeaders();

  /** The request body of {@link #conversation}, as the vendor's API defines it. */
  abstract String conversationBody();

  /** The vendor's stream of these pieces with this usage. */
  abstract List<String> stream(List<String> pieces, int prompt, int completion);

  /**
   * The vendor's stream of these pieces broken off by its error event with this message, followed
   * by more that must not be read.
   */
  abstract List<String> streamWithAnError(List<String> pieces, String message);

  /** The vendor's error body for a status. */
  abstract String errorBody(String type, String message);

  final LlmRequest request =
      new LlmRequest(
          "model-x",
          List.of(new ChatMessage(Role.SYSTEM, "be brief"), new ChatMessage(Role.USER, "hello")));

  /** Every role, a second system message, and text that JSON must escape. */
  final LlmRequest conversation =
      new LlmRequest(
          "model-x",
          List.of(
              new ChatMessage(Role.SYSTEM, "be brief"),
              new ChatMessage(Role.USER, "say \"hi\"\nthen stop"),
              new ChatMessage(Role.ASSISTANT, "héllo ✓"),
              new ChatMessage(Role.SYSTEM, "in English"),
              new ChatMessage(Role.USER, "again")));

  @AfterEach
  void stop() {
    upstream.close();
  }

  private LlmOutcome run(List<String> received) {
    return provider().stream(request, DeltaSink.textOnly(received::add), new CancelSignal());
  }

  @Test
  void streamsTheTextAndTheReportedUsage() {
    upstream.enqueue(FakeUpstream.sse(stream(List.of("Hel", "lo", " there"), 21, 3)));
    List<String> received = new ArrayList<>();

    LlmOutcome outcome = run(received);

    // How the text is split depends on how fast it was read (see the two tests below).
    assertThat(String.join("", received)).isEqualTo("Hello there");
    assertThat(outcome).isInstanceOf(LlmOutcome.Completed.class);
    assertThat(outcome.usage()).isEqualTo(new Usage(21, 3, false));
  }

  @Test
  void textThatArrivesApartIsPassedOnPieceByPiece() {
    upstream.enqueue(
        FakeUpstream.sse(
            stream(List.of("Hel", "lo", " there"), 21, 3),
            Duration.ZERO,
            Duration.ofMillis(100),
            -1));
    List<String> received = new ArrayList<>();

    run(received);

    assertThat(received).containsExactly("Hel", "lo", " there");
  }

  @Test
  void textThatArrivesTogetherIsPassedOnAsOnePiece() {
    // The whole stream in one write: a reader that fell behind finds it all buffered at once.
    upstream.enqueue(
        FakeUpstream.sse(List.of(String.join("", stream(List.of("Hel", "lo", " there"), 21, 3)))));
    List<String> received = new ArrayList<>();

    LlmOutcome outcome = run(received);

    assertThat(received).containsExactly("Hello there");
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
  void postsTheRequestAsTheVendorsApiDefinesIt() {
    upstream.enqueue(FakeUpstream.sse(stream(List.of("ok"), 1, 1)));

    provider().stream(
        conversation, DeltaSink.textOnly(new ArrayList<String>()::add), new CancelSignal());

    assertThat(upstream.paths).containsExactly(endpointPath);
    Headers headers = upstream.headers.peek();
    vendorHeaders().forEach((name, value) -> assertThat(headers.getFirst(name)).isEqualTo(value));
    assertThat(headers.getFirst("Content-Type")).isEqualTo("application/json");
    assertThat(headers.getFirst("Accept")).isEqualTo("text/event-stream");
    JsonMapper json = JsonMapper.shared();
    assertThat(json.readTree(upstream.requests.peek()))
        .isEqualTo(json.readTree(conversationBody()));
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
  void anErrorInsideTheStreamFailsTheAttemptAndKeepsWhatCame() {
    String message = "The server had an error while processing your request.";
    upstream.enqueue(FakeUpstream.sse(streamWithAnError(List.of("Hel", "lo"), message)));
    List<String> received = new ArrayList<>();

    LlmOutcome outcome = run(received);

    assertThat(String.join("", received)).isEqualTo("Hello");
    // A server-side error type: retryable, though with text streamed the router keeps this answer.
    assertThat(outcome)
        .isEqualTo(
            new LlmOutcome.Failed(ErrorCode.UPSTREAM_UNAVAILABLE, message, true, Usage.UNKNOWN));
  }

  @Test
  void aServerSideErrorBeforeAnyTextLetsTheRouterFallBack() {
    String message = "Overloaded";
    upstream.enqueue(FakeUpstream.sse(streamWithAnError(List.of(), message)));
    List<String> received = new ArrayList<>();

    LlmOutcome outcome = run(received);

    assertThat(received).isEmpty();
    assertThat(outcome)
        .isEqualTo(
            new LlmOutcome.Failed(ErrorCode.UPSTREAM_UNAVAILABLE, message, true, Usage.UNKNOWN));
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
            DeltaSink.textOnly(
                piece -> {
                  received.add(piece);
                  if (received.size() == 3) {
                    cancel.cancel();
                  }
                }),
            cancel);

    assertThat(outcome).isInstanceOf(LlmOutcome.Cancelled.class);
    assertThat(received).hasSizeLessThan(10);
    // The server sees its writes fail: the connection was closed, not just ignored.
    await().atMost(Duration.ofSeconds(5)).until(() -> upstream.hangUps.get() == 1);
  }

  @Test
  void aBaseUrlEndingInASlashReachesTheSameEndpoint() {
    upstream.enqueue(FakeUpstream.sse(stream(List.of("ok"), 1, 1)));
    LlmProvider slashed = provider(upstream.url(basePath + "/"));

    LlmOutcome outcome =
        slashed.stream(
            request, DeltaSink.textOnly(new ArrayList<String>()::add), new CancelSignal());

    assertThat(outcome).isInstanceOf(LlmOutcome.Completed.class);
    assertThat(upstream.paths).containsExactly(endpointPath);
  }

  @Test
  void anErrorPageThatIsNotJsonKeepsItsText() {
    String page = "<html><body><h1>502 Bad Gateway</h1> nginx</body></html>";
    upstream.enqueue(FakeUpstream.status(502, Map.of(), page));

    assertThat(run(new ArrayList<>()))
        .isEqualTo(
            new LlmOutcome.Failed(
                ErrorCode.UPSTREAM_UNAVAILABLE, "502: " + page, true, Usage.UNKNOWN));
  }

  @Test
  void theLastEventEndsTheStreamEvenWhenTheServerKeepsTheConnectionOpen() {
    upstream.enqueue(
        exchange -> {
          FakeUpstream.sse(stream(List.of("ok"), 2, 1)).answer(exchange);
          try {
            Thread.sleep(Duration.ofSeconds(10));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    long started = System.nanoTime();

    LlmOutcome outcome = run(new ArrayList<>());

    assertThat(outcome).isInstanceOf(LlmOutcome.Completed.class);
    assertThat(outcome.usage()).isEqualTo(new Usage(2, 1, false));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aKeptAliveConnectionTheServerClosedIsReplacedRatherThanFailingTheMessage() throws Exception {
    byte[] body = String.join("", stream(List.of("ok"), 1, 1)).getBytes(StandardCharsets.UTF_8);
    try (OneAnswerPerConnection server = new OneAnswerPerConnection(body)) {
      LlmProvider provider = provider(server.url(basePath));

      LlmOutcome first =
          provider.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal());
      LlmOutcome second =
          provider.stream(request, DeltaSink.textOnly(text -> {}), new CancelSignal());

      assertThat(first).isInstanceOf(LlmOutcome.Completed.class);
      assertThat(second).isInstanceOf(LlmOutcome.Completed.class);
      assertThat(second.usage()).isEqualTo(new Usage(1, 1, false));
      assertThat(server.connections).hasValue(2);
    }
  }
}
