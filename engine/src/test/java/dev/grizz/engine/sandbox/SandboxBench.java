package dev.grizz.engine.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Prints a backend's costs (bench/sandbox.sh runs it; not a test): session cold start, the first
 * and a warm {@code print(1)}, {@code import pandas}, memory per idle session, and a numeric loop's
 * CPU time inside the sandbox against bare {@code /usr/bin/python3}. Medians of {@code runs}.
 */
public final class SandboxBench {

  private static final String LOOP =
      "import time\nt = time.process_time()\ns = 0\nfor i in range(3_000_000):\n    s += i * i\n"
          + "print(round((time.process_time() - t) * 1000, 1))";

  private SandboxBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int idle = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    try (BubblewrapBackend backend = new BubblewrapBackend()) {
      String reason = backend.unavailableReason();
      if (reason != null) {
        System.out.println("bubblewrap unavailable: " + reason);
        return;
      }
      System.out.println("cgroups: " + SandboxCgroup.describe());
      List<Double> cold = new ArrayList<>();
      List<Double> first = new ArrayList<>();
      List<Double> warm = new ArrayList<>();
      List<Double> pandas = new ArrayList<>();
      List<Double> loopIn = new ArrayList<>();
      List<Double> loopBare = new ArrayList<>();
      List<Double> bareStart = new ArrayList<>();
      List<Double> barePandas = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        try (SandboxSession s =
            backend.start(new SessionSpec("bench" + i, SandboxLimits.DEFAULTS))) {
          long t1 = System.nanoTime();
          s.exec("print(1)", SandboxSession.OutputListener.NONE);
          long t2 = System.nanoTime();
          for (int w = 0; w < 5; w++) {
            long a = System.nanoTime();
            s.exec("print(1)", SandboxSession.OutputListener.NONE);
            warm.add(ms(System.nanoTime() - a));
          }
          long a = System.nanoTime();
          s.exec("import pandas", SandboxSession.OutputListener.NONE);
          pandas.add(ms(System.nanoTime() - a));
          loopIn.add(
              Double.parseDouble(
                  s.exec(LOOP, SandboxSession.OutputListener.NONE).stdout().strip()));
          loopBare.add(bare(LOOP));
          long b0 = System.nanoTime();
          bare("print(1)");
          bareStart.add(ms(System.nanoTime() - b0));
          barePandas.add(
              bare(
                  "import time\nt = time.perf_counter()\nimport pandas\n"
                      + "print((time.perf_counter() - t) * 1000)"));
          cold.add(ms(t1 - t0));
          first.add(ms(t2 - t1));
        }
      }
      System.out.printf(
          "cold start (start() until ready)   median %.1f ms  (min %.1f, max %.1f)%n",
          median(cold), Collections.min(cold), Collections.max(cold));
      System.out.printf("bare python3 -I -c 'print(1)' run  median %.1f ms%n", median(bareStart));
      System.out.printf("first print(1) in a new session    median %.1f ms%n", median(first));
      System.out.printf("warm print(1)                      median %.2f ms%n", median(warm));
      System.out.printf(
          "import pandas (first, in session)  median %.0f ms (bare python3: %.0f ms)%n",
          median(pandas), median(barePandas));
      System.out.printf(
          "numeric loop CPU, sandbox vs bare  median %.1f ms vs %.1f ms (%+.1f%%)%n",
          median(loopIn), median(loopBare), (median(loopIn) / median(loopBare) - 1) * 100);
      List<SandboxSession> sessions = new ArrayList<>();
      for (int i = 0; i < idle; i++) {
        SandboxSession s = backend.start(new SessionSpec("idle" + i, SandboxLimits.DEFAULTS));
        s.exec("print(1)", SandboxSession.OutputListener.NONE);
        sessions.add(s);
      }
      Thread.sleep(500);
      long[] mem = memoryOfChildren();
      System.out.printf(
          "idle session (print(1) run), %d sessions: RSS %.1f MiB, PSS %.1f MiB each%n",
          idle, mem[0] / 1024.0 / idle, mem[1] / 1024.0 / idle);
      sessions.forEach(SandboxSession::close);
    }
  }

  /** Sum of VmRSS and of Pss (kB) over every process descending from this JVM. */
  private static long[] memoryOfChildren() {
    long rss = 0;
    long pss = 0;
    for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
      rss += field(Path.of("/proc", Long.toString(p.pid()), "status"), "VmRSS:");
      pss += field(Path.of("/proc", Long.toString(p.pid()), "smaps_rollup"), "Pss:");
    }
    return new long[] {rss, pss};
  }

  private static long field(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return 0;
  }

  private static double bare(String code) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(BubblewrapBackend.PYTHON, "-I", "-c", code).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return Double.parseDouble(out.strip());
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
