package dev.grizz.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives streaming chat completions at a concurrency and reports time to first token and total time
 * percentiles, throughput and errors, as a table row and a JSON line.
 *
 * <p>Usage: {@code LoadDriver <mode> <base-url> <concurrency> <requests-per-worker> [engine-pid]}
 * where mode is {@code v1} (POST /v1/chat/completions, SSE: the upstream itself or the engine's
 * OpenAI-compatible API), {@code sse} (the engine's streaming POST of a message) or {@code ws} (a
 * {@code user_message} frame on one WebSocket per worker, timed to the first {@code message.delta}
 * and to {@code step.finished}).
 */
public final class LoadDriver {

  private LoadDriver() {}

  // One anonymous session for the whole run (the engine's rate limits are raised by run.sh).
  static String bearer = "none";

  static String session(String base) throws IOException, InterruptedException {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/sessions"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    // The upstream itself has no sessions and ignores the header.
    return body.contains("\"access_token\"")
        ? "Bearer " + body.replaceAll("(?s).*\"access_token\":\"([^\"]+)\".*", "$1")
        : "none";
  }

  record Sample(long firstTokenNanos, long totalNanos, int tokens, boolean ok) {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String base = args[1];
    bearer = session(base);
    int concurrency = Integer.parseInt(args[2]);
    int perWorker = Integer.parseInt(args[3]);
    Long enginePid = args.length > 4 ? Long.parseLong(args[4]) : null;
    HttpClient http =
        HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    boolean ws = mode.equals("ws");
    // Warm up: JIT, connection pools, class loading.
    if (ws) {
      WsWorker warm = WsWorker.open(http, base);
      for (int i = 0; i < 20; i++) {
        warm.once();
      }
      warm.close();
    } else {
      for (int i = 0; i < 20; i++) {
        once(http, mode, base, null);
      }
    }
    // Conversations (and, for ws, the sockets) are made before the clock starts.
    List<String> conversations = new ArrayList<>();
    List<WsWorker> sockets = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      if (ws) {
        sockets.add(WsWorker.open(http, base));
      } else {
        conversations.add(mode.equals("sse") ? newConversation(http, base) : null);
      }
    }
    long cpuBefore = enginePid == null ? 0 : cpuTicks(enginePid);
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    long started = System.nanoTime();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        String conversation = ws ? null : conversations.get(w);
        WsWorker socket = ws ? sockets.get(w) : null;
        futures.add(
            workers.submit(
                () -> {
                  for (int r = 0; r < perWorker; r++) {
                    samples.add(
                        socket != null ? socket.once() : once(http, mode, base, conversation));
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    sockets.forEach(WsWorker::close);
    report(mode, base, concurrency, samples, seconds, enginePid, cpuBefore);
  }

  private static Sample once(HttpClient http, String mode, String base, String conversation) {
    long start = System.nanoTime();
    try {
      HttpRequest request =
          mode.equals("v1")
              ? HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", bearer)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"auto\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"bench\"}]}"))
                  .build()
              : HttpRequest.newBuilder(
                      URI.create(
                          base
                              + "/api/v1/conversations/"
                              + (conversation == null ? newConversation(http, base) : conversation)
                              + "/messages"))
                  .header("Content-Type", "application/json")
                  .header("Accept", "text/event-stream")
                  .header("Authorization", bearer)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"bench\"}"))
                  .build();
      HttpResponse<java.io.InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      long first = -1;
      int tokens = 0;
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          boolean delta =
              mode.equals("v1")
                  ? line.startsWith("data: {") && line.contains("\"content\":\"t")
                  : line.contains("\"type\":\"message.delta\"");
          if (delta) {
            tokens += deltaTokens(line);
            if (first < 0) {
              first = System.nanoTime() - start;
            }
          }
          if (line.contains("[DONE]") || line.contains("\"type\":\"step.finished\"")) {
            break;
          }
        }
      }
      return new Sample(
          first, System.nanoTime() - start, tokens, response.statusCode() / 100 == 2 && first >= 0);
    } catch (IOException | InterruptedException e) {
      return new Sample(-1, System.nanoTime() - start, 0, false);
    }
  }

  /** One worker's WebSocket on a conversation of its own, and the frames it has received. */
  private record WsWorker(JsonSocket socket, BlockingQueue<String> frames) {

    static final String CLOSED = "{\"type\":\"bench.closed\"}";

    static WsWorker open(HttpClient http, String base) throws Exception {
      BlockingQueue<String> frames = new LinkedBlockingQueue<>();
      JsonSocket socket =
          JsonSocket.open(
                  http,
                  base,
                  newConversation(http, base),
                  bearer,
                  frames::add,
                  () -> frames.add(CLOSED))
              .get(30, TimeUnit.SECONDS);
      return new WsWorker(socket, frames);
    }

    Sample once() {
      frames.clear(); // nothing of the previous step comes after its step.finished
      long start = System.nanoTime();
      long first = -1;
      int tokens = 0;
      try {
        socket.send("{\"type\":\"user_message\",\"content\":\"bench\"}");
        while (true) {
          String frame = frames.poll(60, TimeUnit.SECONDS);
          if (frame == null
              || frame.equals(CLOSED)
              || frame.contains("\"type\":\"error\"")
              || frame.contains("\"type\":\"step.failed\"")
              || frame.contains("\"type\":\"step.cancelled\"")) {
            return new Sample(-1, System.nanoTime() - start, tokens, false);
          }
          if (frame.contains("\"type\":\"message.delta\"")) {
            tokens += deltaTokens(frame);
            if (first < 0) {
              first = System.nanoTime() - start;
            }
          } else if (frame.contains("\"type\":\"step.finished\"")) {
            return new Sample(first, System.nanoTime() - start, tokens, first >= 0);
          }
        }
      } catch (InterruptedException | RuntimeException e) {
        return new Sample(-1, System.nanoTime() - start, tokens, false);
      }
    }

    void close() {
      socket.close();
    }
  }

  /**
   * The fake upstream's tokens ({@code "t12 "}) in a delta frame or line. Counted in the text, not
   * by events: the engine passes tokens that reached it together on as one delta, and merges deltas
   * into one frame for a socket that lags.
   */
  static int deltaTokens(String frame) {
    int tokens = 0;
    for (int t = frame.indexOf('t'); t >= 0; t = frame.indexOf('t', t + 1)) {
      int end = t + 1;
      while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
        end++;
      }
      boolean startsAWord = t == 0 || !Character.isLetterOrDigit(frame.charAt(t - 1));
      if (startsAWord && end > t + 1 && end < frame.length() && frame.charAt(end) == ' ') {
        tokens++;
      }
    }
    return tokens;
  }

  static String newConversation(HttpClient http, String base) {
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/api/v1/conversations"))
                      .header("Content-Type", "application/json")
                      .header("Authorization", bearer)
                      .POST(HttpRequest.BodyPublishers.ofString("{}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return body.substring(7, 43);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void report(
      String mode,
      String base,
      int concurrency,
      List<Sample> samples,
      double seconds,
      Long pid,
      long cpuBefore)
      throws IOException {
    List<Long> ttft = new ArrayList<>();
    List<Long> total = new ArrayList<>();
    int errors = 0;
    long tokens = 0;
    for (Sample sample : samples) {
      if (!sample.ok()) {
        errors++;
        continue;
      }
      ttft.add(sample.firstTokenNanos());
      total.add(sample.totalNanos());
      tokens += sample.tokens();
    }
    Collections.sort(ttft);
    Collections.sort(total);
    double cpu = pid == null ? -1 : (cpuTicks(pid) - cpuBefore) / 100.0;
    long rssKb = pid == null ? -1 : peakRssKb(pid);
    System.out.printf(
        Locale.ROOT,
        "| %-4s | %-28s | %4d | %6d | %7.2f %7.2f %7.2f %8.2f | %7.2f %7.2f %7.2f %8.2f | %8.1f | %6d | %6.2f | %7d |%n",
        mode,
        base,
        concurrency,
        samples.size(),
        ms(ttft, 0.5),
        ms(ttft, 0.9),
        ms(ttft, 0.99),
        ms(ttft, 1.0),
        ms(total, 0.5),
        ms(total, 0.9),
        ms(total, 0.99),
        ms(total, 1.0),
        samples.size() / seconds,
        errors,
        cpu,
        rssKb / 1024);
    System.out.printf(
        Locale.ROOT,
        "{\"mode\":\"%s\",\"base\":\"%s\",\"concurrency\":%d,\"requests\":%d,\"errors\":%d,"
            + "\"ttft_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
            + "\"total_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
            + "\"requests_per_s\":%.2f,\"deltas_per_s\":%.1f,\"engine_cpu_s\":%.2f,\"engine_peak_rss_mb\":%d}%n",
        mode,
        base,
        concurrency,
        samples.size(),
        errors,
        ms(ttft, 0.5),
        ms(ttft, 0.9),
        ms(ttft, 0.99),
        ms(ttft, 1.0),
        ms(total, 0.5),
        ms(total, 0.9),
        ms(total, 0.99),
        ms(total, 1.0),
        samples.size() / seconds,
        tokens / seconds,
        cpu,
        rssKb / 1024);
  }

  private static double ms(List<Long> sorted, double quantile) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1e6;
  }

  static long cpuTicks(long pid) throws IOException {
    String[] stat =
        Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ", 2)[1].split(" ");
    return Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
  }

  static long peakRssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
