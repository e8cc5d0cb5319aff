package dev.grizz.engine.llm;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A vendor's HTTP endpoint for tests, answering each request with the next scripted reply in the
 * vendor's real wire format (SSE chunks, error bodies, status codes), and noticing when a client
 * hangs up mid-stream.
 */
public final class FakeUpstream implements AutoCloseable {

  /** What to do with one request. */
  @FunctionalInterface
  public interface Reply {
    void answer(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  public final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<String> paths = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Headers> headers = new ConcurrentLinkedQueue<>();
  final AtomicInteger hangUps = new AtomicInteger();

  public FakeUpstream() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(body);
          exchange.setAttribute(BODY, body);
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          authorizations.add(auth == null ? "" : auth);
          paths.add(exchange.getRequestURI().getPath());
          headers.add(exchange.getRequestHeaders());
          Reply reply = replies.poll();
          java.util.function.Function<String, Reply> dynamic = responder;
          if (reply == null && dynamic != null) {
            reply = dynamic.apply(bodyOf(exchange));
          }
          try {
            if (reply == null) {
              status(500, Map.of(), "{\"error\":{\"message\":\"no scripted reply\"}}")
                  .answer(exchange);
            } else {
              reply.answer(exchange);
            }
          } catch (IOException clientGone) {
            hangUps.incrementAndGet();
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  private volatile java.util.function.@org.jspecify.annotations.Nullable Function<String, Reply>
      responder;

  /** Answers every request no scripted reply is left for with {@code responder}(its body). */
  public void respondWith(java.util.function.Function<String, Reply> responder) {
    this.responder = responder;
  }

  private static String bodyOf(HttpExchange exchange) {
    return String.valueOf(exchange.getAttribute(BODY));
  }

  private static final String BODY = "grizz.body";

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  void enqueue(Reply... scripted) {
    replies.addAll(List.of(scripted));
  }

  static Reply status(int status, Map<String, String> headers, String body) {
    return exchange -> {
      headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    };
  }

  /**
   * Streams SSE frames with a pause before the first and between the others; stops early (a dropped
   * connection) after {@code cutAfter} frames when that is not negative.
   */
  static Reply sse(List<String> frames, Duration firstDelay, Duration gap, int cutAfter) {
    return exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      sleep(firstDelay);
      for (int i = 0; i < frames.size(); i++) {
        if (i == cutAfter) {
          throw new IOException("scripted disconnect");
        }
        out.write(frames.get(i).getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (i + 1 < frames.size()) {
          sleep(gap);
        }
      }
    };
  }

  public static Reply sse(List<String> frames) {
    return sse(frames, Duration.ZERO, Duration.ZERO, -1);
  }

  private static void sleep(Duration duration) {
    if (duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ---- OpenAI Chat Completions wire format ----

  static String openAiChunk(String content, String finishReason) {
    String delta = content == null ? "{}" : "{\"content\":" + quote(content) + "}";
    String finish = finishReason == null ? "null" : "\"" + finishReason + "\"";
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"finish_reason\":"
        + finish
        + "}]}\n\n";
  }

  static String openAiUsage(int prompt, int completion) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + "}}\n\n";
  }

  public static List<String> openAiStream(List<String> pieces, int prompt, int completion) {
    List<String> frames = new java.util.ArrayList<>();
    frames.add(
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
            + "\"content\":\"\"},\"finish_reason\":null}]}\n\n");
    pieces.forEach(piece -> frames.add(openAiChunk(piece, null)));
    frames.add(openAiChunk(null, "stop"));
    frames.add(openAiUsage(prompt, completion));
    frames.add("data: [DONE]\n\n");
    return frames;
  }

  // ---- Anthropic Messages wire format ----

  static String anthropicEvent(String type, String json) {
    return "event: " + type + "\ndata: " + json + "\n\n";
  }

  static List<String> anthropicStream(List<String> pieces, int input, int output) {
    List<String> frames = new java.util.ArrayList<>();
    frames.add(
        anthropicEvent(
            "message_start",
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-haiku-4-5\","
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":"
                + input
                + ",\"output_tokens\":1}}}"));
    frames.add(
        anthropicEvent(
            "content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    frames.add(anthropicEvent("ping", "{\"type\": \"ping\"}"));
    pieces.forEach(
        piece ->
            frames.add(
                anthropicEvent(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
                        + quote(piece)
                        + "}}")));
    frames.add(
        anthropicEvent("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    frames.add(
        anthropicEvent(
            "message_delta",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":"
                + output
                + "}}"));
    frames.add(anthropicEvent("message_stop", "{\"type\":\"message_stop\"}"));
    return frames;
  }

  static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
