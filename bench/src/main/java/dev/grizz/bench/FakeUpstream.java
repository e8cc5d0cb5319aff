package dev.grizz.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * An OpenAI-compatible upstream for benchmarks: every chat completion streams {@code tokens}
 * chunks, the first after {@code firstDelayMs}, then one every {@code gapMs}, then a usage chunk
 * and {@code [DONE]}. Usage: {@code FakeUpstream <port> [tokens=64] [firstDelayMs=0] [gapMs=5]}.
 */
public final class FakeUpstream {

  private FakeUpstream() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    long firstDelayMs = args.length > 2 ? Long.parseLong(args[2]) : 0;
    long gapMs = args.length > 3 ? Long.parseLong(args[3]) : 5;
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 4096);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            pause(firstDelayMs);
            for (int i = 0; i < tokens; i++) {
              write(out, chunk("{\"content\":\"t" + i + " \"}", "null"));
              pause(gapMs);
            }
            write(out, chunk("{}", "\"stop\""));
            write(
                out,
                "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\","
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":"
                    + tokens
                    + ",\"total_tokens\":"
                    + (20 + tokens)
                    + "}}\n\n");
            write(out, "data: [DONE]\n\n");
          } catch (IOException clientGone) {
            // the client hung up
          }
        });
    server.start();
    System.out.println("fake upstream on http://127.0.0.1:" + port + "/v1");
  }

  private static String chunk(String delta, String finish) {
    return "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\","
        + "\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"finish_reason\":"
        + finish
        + "}]}\n\n";
  }

  private static void write(OutputStream out, String frame) throws IOException {
    out.write(frame.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void pause(long ms) {
    if (ms > 0) {
      LockSupport.parkNanos(ms * 1_000_000);
    }
  }
}
