package dev.grizz.engine.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/** One bubblewrap session's process and cgroups: how it is stopped and why it died. */
final class BwrapHost implements KernelSession.Host {

  private final Process process;
  private final SandboxCgroup cgroup;
  private final SandboxLimits limits;
  private final Runnable onKilled;
  private final Runnable onCleaned;
  private final AtomicBoolean killed = new AtomicBoolean();
  private final StringBuffer stderr = new StringBuffer();
  private volatile boolean outOfMemory;
  private volatile @Nullable Thread cleanup;

  /** {@code onKilled} runs when it is killed, {@code onCleaned} once its cgroups are gone. */
  BwrapHost(
      Process process,
      SandboxCgroup cgroup,
      SandboxLimits limits,
      Runnable onKilled,
      Runnable onCleaned) {
    this.process = process;
    this.cgroup = cgroup;
    this.limits = limits;
    this.onKilled = onKilled;
    this.onCleaned = onCleaned;
  }

  /** Keeps bwrap's own messages and cleans up when the process ends by itself. */
  void watch() {
    Thread.ofPlatform().daemon().name("sandbox-stderr").start(this::drainStderr);
    process.onExit().thenRun(this::kill);
  }

  private void drainStderr() {
    try (InputStream err = process.getErrorStream()) {
      byte[] buf = new byte[4096];
      int n;
      while ((n = err.read(buf)) > 0) {
        if (stderr.length() < 4096) {
          stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void kill() {
    if (!killed.compareAndSet(false, true)) {
      return;
    }
    outOfMemory = cgroup.ranOutOfMemory(); // read before the cgroup is removed
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    killMembers();
    onKilled.run();
    cleanup = Thread.ofVirtual().start(this::removeCgroup);
  }

  private void killMembers() {
    for (long pid : cgroup.members()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** Waits until the session's cgroups are gone (they empty once its processes have exited). */
  void awaitCleanup(long deadlineNanos) {
    Thread t = cleanup;
    long left = deadlineNanos - System.nanoTime();
    if (t != null && left > 0) {
      try {
        t.join(java.time.Duration.ofNanos(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void removeCgroup() {
    try {
      for (int i = 0; i < 50 && !cgroup.remove(); i++) {
        killMembers();
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      // left for removeStale()
    } finally {
      onCleaned.run();
    }
  }

  @Override
  public @Nullable String deathReason() {
    try {
      process.waitFor(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (outOfMemory || cgroup.ranOutOfMemory()) {
      return "the session ran out of memory (limit " + (limits.memoryBytes() >> 20) + " MiB)";
    }
    String err = stderr.toString().strip();
    String code = process.isAlive() ? "" : " (exit code " + process.exitValue() + ")";
    return "the session's process ended" + code + (err.isEmpty() ? "" : ": " + err);
  }
}
