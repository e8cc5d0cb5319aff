package dev.grizz.engine.sandbox;

import dev.grizz.engine.sandbox.gvisor.GvisorBackend;
import dev.grizz.engine.sandbox.gvisor.GvisorConfig;
import dev.grizz.engine.sandbox.microvm.MicroVmAccel;
import dev.grizz.engine.sandbox.microvm.MicroVmBackend;
import dev.grizz.engine.sandbox.microvm.MicroVmConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Start-up and call numbers for the gVisor and micro-VM backends, printed, never asserted: run by
 * {@code bench/sandbox-vm.sh} ({@code -Dgrizz.sandbox.bench=gvisor} or {@code microvm}); skipped in
 * a normal test run.
 */
class SandboxStartBench {

  private static final int ROUNDS = 5;
  private static final String LOOP =
      "import time\nt=time.perf_counter()\ns=0\nfor i in range(10_000_000): s+=i\n"
          + "print(round((time.perf_counter()-t)*1000))";

  @Test
  void measure() throws Exception {
    String which = System.getProperty("grizz.sandbox.bench", "");
    Assumptions.assumeTrue(!which.isEmpty(), "set -Dgrizz.sandbox.bench=gvisor|microvm to run");
    IntFunction<SandboxBackend> make =
        pool ->
            which.equals("gvisor")
                ? new GvisorBackend(GvisorConfig.defaults().withPoolSize(pool))
                : new MicroVmBackend(
                    MicroVmConfig.defaults(MicroVmAccel.fastestHere()).withPoolSize(pool));
    SessionSpec spec = new SessionSpec("bench", SandboxLimits.DEFAULTS);
    try (SandboxBackend cold = make.apply(0)) {
      if (cold.unavailableReason() != null) {
        System.out.println("BENCH " + which + " unavailable: " + cold.unavailableReason());
        return;
      }
      double[] start = new double[ROUNDS];
      double[] first = new double[ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        long t0 = System.nanoTime();
        try (SandboxSession s = cold.start(spec)) {
          long t1 = System.nanoTime();
          s.exec("print(1)", SandboxSession.OutputListener.NONE);
          start[i] = ms(t1 - t0);
          first[i] = ms(System.nanoTime() - t0);
        }
      }
      report(which + " cold start() (boot + kernel handshake)", start);
      report(which + " cold: start() + first print(1)", first);
    }
    try (SandboxBackend warm = make.apply(1)) {
      double[] start = new double[ROUNDS];
      double[] first = new double[ROUNDS];
      double[] again = new double[ROUNDS * 4];
      double[] pandas = new double[ROUNDS];
      double[] loop = new double[ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        waitForPool(warm);
        long t0 = System.nanoTime();
        try (SandboxSession s = warm.start(spec)) {
          long t1 = System.nanoTime();
          s.exec("print(1)", SandboxSession.OutputListener.NONE);
          start[i] = ms(t1 - t0);
          first[i] = ms(System.nanoTime() - t0);
          for (int j = 0; j < 4; j++) {
            long t2 = System.nanoTime();
            s.exec("print(1)", SandboxSession.OutputListener.NONE);
            again[i * 4 + j] = ms(System.nanoTime() - t2);
          }
          if (i == 0) {
            System.out.println("BENCH " + which + " idle session RSS: " + rssNote());
          }
          long t3 = System.nanoTime();
          s.exec("import pandas", SandboxSession.OutputListener.NONE);
          pandas[i] = ms(System.nanoTime() - t3);
          loop[i] =
              Double.parseDouble(s.exec(LOOP, SandboxSession.OutputListener.NONE).stdout().strip());
        }
      }
      report(which + " warm start() from the pool", start);
      report(which + " warm: start() + first print(1)", first);
      report(which + " print(1) in a running session", again);
      report(which + " import pandas (first in a session)", pandas);
      report(which + " 10M-iteration Python loop (ms, inside)", loop);
      double[] bare = new double[ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", LOOP).start();
        bare[i] = Double.parseDouble(new String(p.getInputStream().readAllBytes()).strip());
        p.waitFor();
      }
      report("bare /usr/bin/python3 10M-iteration loop (ms)", bare);
    }
  }

  private static void waitForPool(SandboxBackend backend) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      int ready =
          backend instanceof GvisorBackend g ? g.pooled() : ((MicroVmBackend) backend).pooled();
      if (ready > 0) {
        Thread.sleep(200); // let the booted sandbox settle so the next start is a pure hand-over
        return;
      }
      Thread.sleep(50);
    }
  }

  /** RSS of the processes this JVM started (qemu, or runsc's front end) and their descendants. */
  private static String rssNote() throws IOException {
    List<String> parts = new ArrayList<>();
    long total = 0;
    for (ProcessHandle child : ProcessHandle.current().children().toList()) {
      long kb = rssKb(child.pid());
      for (ProcessHandle d : child.descendants().toList()) {
        kb += rssKb(d.pid());
      }
      parts.add(
          child.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("?")
              + "+descendants="
              + kb / 1024
              + " MiB");
      total += kb;
    }
    // runsc's sandbox and gofer are re-parented away from `runsc run`: count them by name
    long runsc = 0;
    for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
      String cmd = p.info().commandLine().orElse("");
      if (cmd.contains("runsc") && (cmd.contains(" boot ") || cmd.contains(" gofer "))) {
        runsc += rssKb(p.pid());
      }
    }
    return String.join(", ", parts)
        + "; total "
        + total / 1024
        + " MiB; runsc boot+gofer processes (all sessions and pooled) "
        + runsc / 1024
        + " MiB";
  }

  private static long rssKb(long pid) {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static void report(String what, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "BENCH %s: median %.1f ms, min %.1f, max %.1f (n=%d)%n",
        what, sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], sorted.length);
  }
}
