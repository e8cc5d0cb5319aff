package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.openai.OpenAiCompatibleProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAI-compatible adapter (OpenAI, Mistral, local servers) against OpenAI's wire format. */
class OpenAiProviderTests extends ProviderContract {

  private static final JsonMapper JSON = JsonMapper.shared();

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
  void postsTheChatCompletionsRequestAsTheApiDefinesIt() {
    upstream.enqueue(FakeUpstream.sse(stream(List.of("ok"), 1, 1)));
    LlmRequest conversation =
        new LlmRequest(
            "model-x",
            List.of(
                new ChatMessage(Role.SYSTEM, "be brief"),
                new ChatMessage(Role.USER, "say \"hi\"\nthen stop"),
                new ChatMessage(Role.ASSISTANT, "héllo ✓"),
                new ChatMessage(Role.USER, "again")));

    provider.stream(conversation, new ArrayList<String>()::add, new CancelSignal());

    assertThat(upstream.paths).containsExactly("/v1/chat/completions");
    Headers headers = upstream.headers.peek();
    assertThat(headers.getFirst("Authorization")).isEqualTo("Bearer sk-test");
    assertThat(headers.getFirst("Content-Type")).isEqualTo("application/json");
    assertThat(headers.getFirst("Accept")).isEqualTo("text/event-stream");
    assertThat(JSON.readTree(upstream.requests.peek()))
        .isEqualTo(
            JSON.readTree(
                """
                {"model":"model-x",
                 "messages":[{"role":"system","content":"be brief"},
                             {"role":"user","content":"say \\"hi\\"\\nthen stop"},
                             {"role":"assistant","content":"héllo ✓"},
                             {"role":"user","content":"again"}],
                 "stream":true,
                 "stream_options":{"include_usage":true}}
                """));
  }

  @Test
  void aBaseUrlEndingInASlashReachesTheSameEndpoint() {
    upstream.enqueue(FakeUpstream.sse(stream(List.of("ok"), 1, 1)));
    LlmProvider slashed =
        new OpenAiCompatibleProvider(
            "local", upstream.url("/v1/"), "sk", List.of(), true, Duration.ofSeconds(5), true);

    LlmOutcome outcome = slashed.stream(request, new ArrayList<String>()::add, new CancelSignal());

    assertThat(outcome).isInstanceOf(LlmOutcome.Completed.class);
    assertThat(upstream.paths).containsExactly("/v1/chat/completions");
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

    keyless.stream(request, new ArrayList<String>()::add, new CancelSignal());

    assertThat(upstream.authorizations).containsExactly("Bearer none");
  }

  @Test
  void anErrorInsideTheStreamFailsTheAttemptAndKeepsWhatCame() {
    List<String> frames =
        List.of(
            FakeUpstream.openAiChunk("Hel", null),
            "data: {\"error\":{\"message\":\"The server had an error while processing your"
                + " request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n",
            FakeUpstream.openAiChunk("lo", "stop"),
            "data: [DONE]\n\n");
    upstream.enqueue(FakeUpstream.sse(frames));
    List<String> received = new ArrayList<>();

    LlmOutcome outcome = provider.stream(request, received::add, new CancelSignal());

    assertThat(received).containsExactly("Hel");
    // Classified by its words, as the SDK did: the stream itself had begun with 200.
    assertThat(outcome)
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(failed.message()).contains("The server had an error");
            });
  }

  @Test
  void anErrorPageThatIsNotJsonKeepsItsText() {
    upstream.enqueue(
        FakeUpstream.status(
            502, Map.of(), "<html><body><h1>502 Bad Gateway</h1> nginx</body></html>"));

    assertThat(provider.stream(request, new ArrayList<String>()::add, new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
              assertThat(failed.retryable()).isTrue();
              assertThat(failed.message()).startsWith("502: ").contains("502 Bad Gateway");
            });
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

    LlmOutcome tooLong = provider.stream(request, text -> {}, new CancelSignal());
    LlmOutcome notFound = provider.stream(request, text -> {}, new CancelSignal());

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

    assertThat(impatient.stream(request, text -> {}, new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmOutcome.Failed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
              assertThat(failed.message()).containsAnyOf("timeout", "timed out");
            });
  }

  @Test
  void doneEndsTheStreamEvenWhenTheServerKeepsTheConnectionOpen() {
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

    LlmOutcome outcome = provider.stream(request, text -> {}, new CancelSignal());

    assertThat(outcome).isEqualTo(new LlmOutcome.Completed("stop", new Usage(2, 1, false)));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aKeptAliveConnectionTheServerClosedIsReplacedRatherThanFailingTheMessage() throws Exception {
    byte[] body = String.join("", stream(List.of("ok"), 1, 1)).getBytes(StandardCharsets.UTF_8);
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // Answers one request per connection, then closes it: to the client it was kept alive.
      Thread.ofVirtual()
          .start(
              () -> {
                while (true) {
                  try (Socket socket = server.accept()) {
                    connections.incrementAndGet();
                    answerOnce(socket, body);
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
      LlmProvider local =
          new OpenAiCompatibleProvider(
              "local",
              "http://127.0.0.1:" + server.getLocalPort() + "/v1",
              "sk",
              List.of(),
              true,
              Duration.ofSeconds(5),
              true);

      LlmOutcome first = local.stream(request, text -> {}, new CancelSignal());
      LlmOutcome second = local.stream(request, text -> {}, new CancelSignal());

      assertThat(first).isInstanceOf(LlmOutcome.Completed.class);
      assertThat(second).isEqualTo(new LlmOutcome.Completed("stop", new Usage(1, 1, false)));
      assertThat(connections).hasValue(2);
    }
  }

  private static void answerOnce(Socket socket, byte[] body) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int next = in.read();
      if (next < 0) {
        return;
      }
      head.append((char) next);
    }
    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head.toString());
    in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
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

    assertThat(provider.stream(request, text -> {}, new CancelSignal()).usage())
        .isEqualTo(new Usage(4, 2, false));
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
