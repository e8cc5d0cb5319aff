package dev.grizz.engine.moderation;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/** OpenAI's {@code POST /v1/moderations} for tests: scripted status, body and delay per request. */
final class FakeModerationApi implements AutoCloseable {

  /** One scripted answer. */
  record Reply(int status, String body, Duration delay) {}

  /** A request as received. */
  record Request(String method, String path, String authorization, String body) {}

  /** The example response of OpenAI's API reference for omni-moderation-latest, verbatim. */
  static final String VIOLENT =
      """
      {
        "id": "modr-0d9740456c391e43c445bf0f010940c7",
        "model": "omni-moderation-latest",
        "results": [
          {
            "flagged": true,
            "categories": {
              "harassment": true,
              "harassment/threatening": true,
              "sexual": false,
              "hate": false,
              "hate/threatening": false,
              "illicit": false,
              "illicit/violent": false,
              "self-harm/intent": false,
              "self-harm/instructions": false,
              "self-harm": false,
              "sexual/minors": false,
              "violence": true,
              "violence/graphic": true
            },
            "category_scores": {
              "harassment": 0.8189693396524255,
              "harassment/threatening": 0.804985420696006,
              "sexual": 1.573112165348997e-6,
              "hate": 0.007562942636942845,
              "hate/threatening": 0.004208854591835476,
              "illicit": 0.030535955153511665,
              "illicit/violent": 0.008925306722380033,
              "self-harm/intent": 0.00023023930975076432,
              "self-harm/instructions": 0.0002293869201073356,
              "self-harm": 0.012598046106750154,
              "sexual/minors": 2.212566909570261e-8,
              "violence": 0.9999992735124786,
              "violence/graphic": 0.843064871157054
            },
            "category_applied_input_types": {
              "harassment": ["text"],
              "harassment/threatening": ["text"],
              "sexual": ["text", "image"],
              "hate": ["text"],
              "hate/threatening": ["text"],
              "illicit": ["text"],
              "illicit/violent": ["text"],
              "self-harm/intent": ["text", "image"],
              "self-harm/instructions": ["text", "image"],
              "self-harm": ["text", "image"],
              "sexual/minors": ["text"],
              "violence": ["text", "image"],
              "violence/graphic": ["text", "image"]
            }
          }
        ]
      }
      """;

  /** A 5xx as OpenAI sends it. */
  static final String SERVER_ERROR =
      """
      {"error":{"message":"The server had an error while processing your request. Sorry about that!",\
      "type":"server_error","param":null,"code":null}}""";

  private final HttpServer server;
  private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();

  FakeModerationApi() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            requests.add(
                new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Reply reply = replies.poll();
            if (reply == null) {
              reply = new Reply(500, SERVER_ERROR, Duration.ZERO);
            }
            if (!reply.delay().isZero()) {
              Thread.sleep(reply.delay());
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException clientGone) {
            // the client timed out first
          }
        });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  void enqueue(Reply... scripted) {
    replies.addAll(List.of(scripted));
  }

  static Reply ok(String body) {
    return new Reply(200, body, Duration.ZERO);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
