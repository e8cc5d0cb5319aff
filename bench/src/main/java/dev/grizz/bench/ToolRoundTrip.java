package dev.grizz.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Times the engine's own part of a tool round trip on the demo provider: a turn asks the time in
 * Tokyo, the model's answer calls {@code current_time}, the call runs as a tool step, the model is
 * called again. Measured at the client, from the asking step's {@code step.finished} (the model has
 * asked) to the follow-up step's {@code step.started} (the model is called again), less the tool's
 * own run time ({@code tool.result}'s {@code duration_ms}): storing the call, queueing and claiming
 * the tool step, storing its result, queueing and claiming the follow-up.
 *
 * <p>Usage: {@code ToolRoundTrip <base-url> <concurrency> <turns-per-worker> [engine-pid]}
 */
public final class ToolRoundTrip {

  private ToolRoundTrip() {}

  record Sample(long roundTripNanos, long toolNanos, long turnNanos, boolean ok) {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    int concurrency = Integer.parseInt(args[1]);
    int perWorker = Integer.parseInt(args[2]);
    Long pid = args.length > 3 ? Long.parseLong(args[3]) : null;
    LoadDriver.bearer = LoadDriver.session(base);
    HttpClient http =
        HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    for (int i = 0; i < 20; i++) {
      once(http, base);
    }
    long cpuBefore = pid == null ? 0 : LoadDriver.cpuTicks(pid);
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    long started = System.nanoTime();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        futures.add(
            workers.submit(
                () -> {
                  for (int r = 0; r < perWorker; r++) {
                    samples.add(once(http, base));
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    List<Long> trips = new ArrayList<>();
    List<Long> turns = new ArrayList<>();
    long toolNanos = 0;
    int errors = 0;
    for (Sample sample : samples) {
      if (!sample.ok()) {
        errors++;
        continue;
      }
      trips.add(sample.roundTripNanos() - sample.toolNanos());
      turns.add(sample.turnNanos());
      toolNanos += sample.toolNanos();
    }
    Collections.sort(trips);
    Collections.sort(turns);
    double cpu = pid == null ? -1 : (LoadDriver.cpuTicks(pid) - cpuBefore) / 100.0;
    System.out.printf(
        Locale.ROOT,
        "| %4d | %5d | %7.2f %7.2f %8.2f | %7.2f %7.2f | %6.3f | %6.1f | %4d | %6.2f |%n",
        concurrency,
        samples.size(),
        ms(trips, 0.5),
        ms(trips, 0.99),
        ms(trips, 1.0),
        ms(turns, 0.5),
        ms(turns, 0.99),
        trips.isEmpty() ? 0 : toolNanos / 1e6 / trips.size(),
        samples.size() / seconds,
        errors,
        cpu);
  }

  private static double ms(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
    return sorted.get(Math.max(0, i)) / 1e6;
  }

  private static Sample once(HttpClient http, String base) {
    long start = System.nanoTime();
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/api/v1/conversations"))
              .header("Content-Type", "application/json")
              .header("Accept", "text/event-stream")
              .header("Authorization", LoadDriver.bearer)
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"message\":\"What time is it in Tokyo?\"}"))
              .build();
      HttpResponse<java.io.InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      long asked = -1;
      long calledAgain = -1;
      long tool = 0;
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.contains("\"type\":\"step.finished\"")) {
            if (line.contains("\"continues\":true")) {
              if (asked < 0) {
                asked = System.nanoTime();
              }
            } else {
              break;
            }
          } else if (line.contains("\"type\":\"tool.result\"")) {
            tool = Long.parseLong(line.replaceAll(".*\"duration_ms\":(\\d+).*", "$1")) * 1_000_000;
          } else if (line.contains("\"type\":\"step.started\"") && asked >= 0 && calledAgain < 0) {
            calledAgain = System.nanoTime();
          }
        }
      }
      boolean ok = response.statusCode() / 100 == 2 && asked >= 0 && calledAgain >= 0;
      return new Sample(calledAgain - asked, tool, System.nanoTime() - start, ok);
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return new Sample(-1, 0, System.nanoTime() - start, false);
    }
  }
}
