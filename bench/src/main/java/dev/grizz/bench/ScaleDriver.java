package dev.grizz.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scale runs against the engine's WebSocket, with one anonymous session for the whole run.
 *
 * <ul>
 *   <li>{@code idle <base-url> <engine-pid> <connections> [conversations=200] [hold-s=10]}: opens
 *       that many sockets spread over the conversations, holds them, and reports how many
 *       connected, failed and dropped, and the engine's RSS, heap, threads and descriptors before
 *       and with them.
 *   <li>{@code stream <base-url> <engine-pid> <streams> [timeout-s=120]}: one socket and one
 *       conversation per stream, a {@code user_message} on all of them at once, and the delivered
 *       deltas per second, completed streams, errors, the engine's CPU and peak RSS.
 * </ul>
 */
public final class ScaleDriver {

  private ScaleDriver() {}

  private static final int IN_FLIGHT = 200;

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String base = args[1];
    long pid = Long.parseLong(args[2]);
    int count = Integer.parseInt(args[3]);
    LoadDriver.bearer = LoadDriver.session(base);
    HttpClient http =
        HttpClient.newBuilder()
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    if (mode.equals("idle")) {
      idle(
          http,
          base,
          pid,
          count,
          args.length > 4 ? Integer.parseInt(args[4]) : 200,
          args.length > 5 ? Integer.parseInt(args[5]) : 10);
    } else {
      stream(http, base, pid, count, args.length > 4 ? Integer.parseInt(args[4]) : 120);
    }
    System.exit(0); // the client's selector thread is not a daemon
  }

  private static List<String> conversations(HttpClient http, String base, int n) throws Exception {
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    Semaphore gate = new Semaphore(16);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        gate.acquire();
        pool.submit(
            () -> {
              try {
                ids.add(LoadDriver.newConversation(http, base));
              } finally {
                gate.release();
              }
            });
      }
    }
    return new ArrayList<>(ids);
  }

  private static void idle(
      HttpClient http, String base, long pid, int n, int conversationCount, int holdSeconds)
      throws Exception {
    List<String> conversations = conversations(http, base, Math.min(n, conversationCount));
    Thread.sleep(2000);
    Engine before = Engine.read(pid, true);
    AtomicInteger connected = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger failed = new AtomicInteger();
    List<JsonSocket> sockets = Collections.synchronizedList(new ArrayList<>());
    Semaphore gate = new Semaphore(IN_FLIGHT);
    CountDownLatch attempts = new CountDownLatch(n);
    long started = System.nanoTime();
    for (int i = 0; i < n; i++) {
      gate.acquire();
      JsonSocket.open(
              http,
              base,
              conversations.get(i % conversations.size()),
              LoadDriver.bearer,
              frame -> {},
              closed::incrementAndGet)
          .whenComplete(
              (socket, error) -> {
                if (error == null) {
                  connected.incrementAndGet();
                  sockets.add(socket);
                } else {
                  if (failed.incrementAndGet() <= 5) {
                    failures.add(rootMessage(error));
                  }
                }
                gate.release();
                attempts.countDown();
              });
    }
    attempts.await(5, TimeUnit.MINUTES);
    double openSeconds = (System.nanoTime() - started) / 1e9;
    Thread.sleep(holdSeconds * 1000L);
    Engine with = Engine.read(pid, true);
    int stillOpen = (int) sockets.stream().filter(JsonSocket::isOpen).count();
    // What the sockets hold on the engine's heap: the top of its class histogram.
    String[] histogram = Engine.jcmd(pid, "GC.class_histogram").split("\n");
    System.out.println("engine heap, largest classes with the sockets open:");
    for (int i = 0; i < Math.min(histogram.length, 13); i++) {
      System.out.println("  " + histogram[i]);
    }
    Runtime rt = Runtime.getRuntime();
    long clientHeapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
    sockets.parallelStream().forEach(JsonSocket::close);
    Thread.sleep(3000);
    Engine after = Engine.read(pid, true);
    double perThousandRss = 1000.0 * (with.rssMb - before.rssMb) / Math.max(1, stillOpen);
    double perThousandHeap = 1000.0 * (with.heapMb - before.heapMb) / Math.max(1, stillOpen);
    System.out.println(
        "| asked | connected | failed | open at end of hold | open time s | engine RSS MB before / with / after close"
            + " | RSS MB per 1k | heap MB after GC before / with | heap MB per 1k | engine threads before / with"
            + " | engine fds before / with | client heap MB |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    System.out.printf(
        Locale.ROOT,
        "| %d | %d | %d | %d | %.1f | %d / %d / %d | %.1f | %d / %d | %.1f | %d / %d | %d / %d | %d |%n",
        n,
        connected.get(),
        failed.get(),
        stillOpen,
        openSeconds,
        before.rssMb,
        with.rssMb,
        after.rssMb,
        perThousandRss,
        before.heapMb,
        with.heapMb,
        perThousandHeap,
        before.threads,
        with.threads,
        before.fds,
        with.fds,
        clientHeapMb);
    if (!failures.isEmpty()) {
      System.out.println("first failures: " + failures);
    }
    System.out.printf(
        Locale.ROOT,
        "{\"mode\":\"idle\",\"asked\":%d,\"connected\":%d,\"failed\":%d,\"open_at_end\":%d,"
            + "\"rss_mb_before\":%d,\"rss_mb_with\":%d,\"rss_mb_per_1k\":%.1f,\"heap_mb_per_1k\":%.1f,"
            + "\"threads_with\":%d,\"fds_with\":%d}%n",
        n,
        connected.get(),
        failed.get(),
        stillOpen,
        before.rssMb,
        with.rssMb,
        perThousandRss,
        perThousandHeap,
        with.threads,
        with.fds);
  }

  /** One streaming conversation: when its message went out, its first delta and its end. */
  private static final class Stream {
    volatile long sent;
    volatile long first = -1;
    volatile long done = -1;
    volatile boolean ok;
  }

  private static void stream(HttpClient http, String base, long pid, int m, int timeoutSeconds)
      throws Exception {
    List<String> conversations = conversations(http, base, m);
    LongAdder deltaFrames = new LongAdder();
    LongAdder tokens = new LongAdder();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger errored = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    AtomicInteger failedOpen = new AtomicInteger();
    ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    List<Stream> streams = new ArrayList<>();
    List<JsonSocket> sockets = Collections.synchronizedList(new ArrayList<>());
    List<Stream> socketStreams = Collections.synchronizedList(new ArrayList<>());
    Semaphore gate = new Semaphore(IN_FLIGHT);
    CountDownLatch attempts = new CountDownLatch(m);
    for (int i = 0; i < m; i++) {
      Stream s = new Stream();
      streams.add(s);
      gate.acquire();
      JsonSocket.open(
              http,
              base,
              conversations.get(i),
              LoadDriver.bearer,
              frame -> {
                if (frame.contains("\"type\":\"message.delta\"")) {
                  deltaFrames.increment();
                  tokens.add(LoadDriver.deltaTokens(frame));
                  if (s.first < 0) {
                    s.first = System.nanoTime();
                  }
                } else if (frame.contains("\"type\":\"step.finished\"") && s.done < 0) {
                  s.done = System.nanoTime();
                  s.ok = s.first >= 0 && frame.contains("\"status\":\"completed\"");
                  (s.ok ? completed : errored).incrementAndGet();
                } else if (frame.contains("\"type\":\"error\"")
                    || frame.contains("\"type\":\"step.failed\"")) {
                  if (errorSamples.size() < 5) {
                    errorSamples.add(frame.length() > 300 ? frame.substring(0, 300) : frame);
                  }
                  if (s.done < 0 && frame.contains("\"type\":\"error\"")) {
                    s.done = System.nanoTime();
                    errored.incrementAndGet();
                  }
                }
              },
              () -> {
                if (s.done < 0) {
                  dropped.incrementAndGet();
                }
              })
          .whenComplete(
              (socket, error) -> {
                if (error == null) {
                  sockets.add(socket);
                  socketStreams.add(s);
                } else {
                  failedOpen.incrementAndGet();
                  if (errorSamples.size() < 5) {
                    errorSamples.add("open: " + rootMessage(error));
                  }
                }
                gate.release();
                attempts.countDown();
              });
    }
    attempts.await(5, TimeUnit.MINUTES);
    Thread.sleep(1000);
    long cpuBefore = LoadDriver.cpuTicks(pid);
    long started = System.nanoTime();
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < sockets.size(); i++) {
        JsonSocket socket = sockets.get(i);
        Stream s = socketStreams.get(i);
        senders.submit(
            () -> {
              s.sent = System.nanoTime();
              socket.send("{\"type\":\"user_message\",\"content\":\"bench\"}");
              return null;
            });
      }
    }
    // Once a second: tokens delivered in that second, the engine's RSS and threads.
    List<Long> perSecond = new ArrayList<>();
    long peakThreads = 0;
    long last = 0;
    long deadline = started + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    int open = sockets.size();
    while (System.nanoTime() < deadline && completed.get() + errored.get() + dropped.get() < open) {
      Thread.sleep(1000);
      long now = tokens.sum();
      perSecond.add(now - last);
      last = now;
      peakThreads = Math.max(peakThreads, Engine.read(pid, false).threads);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpu = (LoadDriver.cpuTicks(pid) - cpuBefore) / 100.0;
    long peakRssMb = LoadDriver.peakRssKb(pid) >> 10;
    int timedOut = open - completed.get() - errored.get() - dropped.get();
    List<Long> ttft = new ArrayList<>();
    List<Long> total = new ArrayList<>();
    for (Stream s : streams) {
      if (s.ok) {
        ttft.add(s.first - s.sent);
        total.add(s.done - s.sent);
      }
    }
    Collections.sort(ttft);
    Collections.sort(total);
    long peak = perSecond.stream().mapToLong(Long::longValue).max().orElse(0);
    // The steady state: the middle half of the run's seconds.
    List<Long> middle =
        perSecond.subList(
            perSecond.size() / 4, Math.max(perSecond.size() / 4, perSecond.size() * 3 / 4));
    double steady = middle.stream().mapToLong(Long::longValue).average().orElse(0);
    sockets.parallelStream().forEach(JsonSocket::close);
    System.out.println(
        "| streams | connected | completed | errors | dropped | timed out | wall s | delta frames | tokens"
            + " | tokens/s mean / steady / peak | TTFT p50 / p99 ms | total p50 / p99 s | engine CPU s (cores)"
            + " | engine peak RSS MB | engine peak threads |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    System.out.printf(
        Locale.ROOT,
        "| %d | %d | %d | %d | %d | %d | %.1f | %d | %d | %.0f / %.0f / %d | %.0f / %.0f | %.1f / %.1f | %.1f (%.2f) | %d | %d |%n",
        m,
        open,
        completed.get(),
        errored.get() + failedOpen.get(),
        dropped.get(),
        timedOut,
        seconds,
        deltaFrames.sum(),
        tokens.sum(),
        tokens.sum() / seconds,
        steady,
        peak,
        pct(ttft, 0.5) / 1e6,
        pct(ttft, 0.99) / 1e6,
        pct(total, 0.5) / 1e9,
        pct(total, 0.99) / 1e9,
        cpu,
        cpu / seconds,
        peakRssMb,
        peakThreads);
    System.out.println("tokens per second: " + perSecond);
    if (!errorSamples.isEmpty()) {
      System.out.println("first errors: " + errorSamples);
    }
    System.out.printf(
        Locale.ROOT,
        "{\"mode\":\"stream\",\"streams\":%d,\"connected\":%d,\"completed\":%d,\"errors\":%d,\"dropped\":%d,"
            + "\"timed_out\":%d,\"tokens\":%d,\"tokens_per_s\":%.1f,\"steady_tokens_per_s\":%.1f,"
            + "\"engine_cpu_s\":%.2f,\"engine_peak_rss_mb\":%d}%n",
        m,
        open,
        completed.get(),
        errored.get() + failedOpen.get(),
        dropped.get(),
        timedOut,
        tokens.sum(),
        tokens.sum() / seconds,
        steady,
        cpu,
        peakRssMb);
  }

  private static double pct(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  private static String rootMessage(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /** The engine process seen from outside: RSS, heap used after a GC (jcmd), threads, fds. */
  private record Engine(long rssMb, long heapMb, long threads, long fds) {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    static Engine read(long pid, boolean heap) throws IOException, InterruptedException {
      long heapMb = -1;
      if (heap) {
        jcmd(pid, "GC.run");
        Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
        heapMb = used.find() ? Long.parseLong(used.group(1)) >> 10 : -1;
      }
      long rss = -1;
      long threads = -1;
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("\\D", "")) >> 10;
        } else if (line.startsWith("Threads:")) {
          threads = Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
      long fds;
      try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
        fds = list.count();
      }
      return new Engine(rss, heapMb, threads, fds);
    }

    static String jcmd(long pid, String command) throws IOException, InterruptedException {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(pid),
                  command)
              .redirectErrorStream(true)
              .start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    }
  }
}
