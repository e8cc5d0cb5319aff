package dev.grizz.engine.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Sessions as processes isolated by bubblewrap ({@code bwrap}): new user, pid, network, ipc, uts
 * and cgroup namespaces (no network at all, not even the host's loopback), no capabilities, a
 * seccomp filter ({@link SeccompFilter}), a read-only view of {@code /usr} and a few {@code /etc}
 * files only, a fresh {@code /proc} and minimal {@code /dev}, and one size-limited tmpfs holding
 * {@code /mnt/data} and {@code /tmp}. Memory (address space), processes, file size and open files
 * are rlimits set inside the sandbox; where the engine may make cgroups ({@link SandboxCgroup}),
 * memory and processes are also limited for the session as a whole. The launcher, bwrap and the
 * kernel get an empty environment, so nothing of the engine's reaches a session. Files move only
 * through {@link KernelProtocol}: the engine never opens a path inside a session.
 */
public final class BubblewrapBackend implements SandboxBackend {

  public static final String NAME = "bubblewrap";
  public static final String PYTHON = "/usr/bin/python3";
  public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final String python;
  private final @Nullable String bwrap;
  private final Set<BwrapHost> running = ConcurrentHashMap.newKeySet();

  /** Sessions whose cgroups are not yet removed (running, or just killed). */
  private final Set<BwrapHost> cleaning = ConcurrentHashMap.newKeySet();

  private @Nullable Path workDir;
  private @Nullable String unavailable;
  private boolean checked;
  private volatile boolean closed;

  public BubblewrapBackend() {
    this(findBwrap(), PYTHON);
  }

  /** With a given bwrap binary (null when there is none) and interpreter path. */
  public BubblewrapBackend(@Nullable String bwrap, String python) {
    this.bwrap = bwrap;
    this.python = python;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Checked once: the binaries, the seccomp filter, then a sandbox that runs Python. */
  @Override
  public synchronized @Nullable String unavailableReason() {
    if (!checked) {
      checked = true;
      unavailable = check();
    }
    return unavailable;
  }

  private @Nullable String check() {
    if (bwrap == null) {
      return "bubblewrap is not installed (no bwrap binary; apt-get install bubblewrap)";
    }
    if (!Files.isExecutable(Path.of(python))) {
      return python + " is missing (apt-get install python3)";
    }
    Path dir;
    try {
      // readable by all: bwrap may run as an unprivileged user; nothing in it is secret
      dir =
          Files.createTempDirectory(
              "grizz-bwrap-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      workDir = dir;
      BwrapCommand.prepare(dir, python);
      SandboxCgroup.removeStale();
    } catch (IOException e) {
      return e.getMessage();
    }
    List<String> probe =
        BwrapCommand.build(
            bwrap,
            dir,
            List.of(),
            SandboxLimits.DEFAULTS,
            List.of(python, "-I", "-c", "print('ok')"));
    try {
      Process p = start(probe);
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readNBytes(64), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readNBytes(2048), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "a bubblewrap sandbox did not start within 20 s";
      }
      if (!out.strip().equals("ok")) {
        return "bubblewrap cannot make a sandbox here (are user namespaces allowed? "
            + "kernel.unprivileged_userns_clone, user.max_user_namespaces): "
            + err.strip();
      }
    } catch (IOException e) {
      return "could not run bwrap: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while checking bubblewrap";
    }
    return null;
  }

  @Override
  public SandboxSession start(SessionSpec spec) throws SandboxException {
    String reason = unavailableReason();
    if (reason != null || bwrap == null || workDir == null) {
      throw new SandboxException("the bubblewrap sandbox is not available: " + reason);
    }
    SandboxLimits limits = spec.limits();
    String name =
        spec.id() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    // tmpfs pages are charged to the session's memory cgroup: its limit covers files too
    SandboxCgroup cgroup =
        SandboxCgroup.create(
            name, limits.memoryBytes() + limits.maxDiskBytes(), limits.maxProcesses());
    List<String> command =
        BwrapCommand.build(
            bwrap, workDir, cgroup.procsFiles(), limits, KernelProtocol.command(python));
    Process process;
    try {
      process = start(command);
    } catch (IOException e) {
      cgroup.remove();
      throw new SandboxException("the sandbox did not start: " + e.getMessage(), e);
    }
    BwrapHost[] self = new BwrapHost[1];
    BwrapHost host =
        new BwrapHost(
            process, cgroup, limits, () -> running.remove(self[0]), () -> cleaning.remove(self[0]));
    self[0] = host;
    running.add(host);
    cleaning.add(host);
    host.watch();
    if (closed) {
      host.kill();
    }
    return KernelSession.open(
        spec.id(),
        limits,
        process.getInputStream(),
        process.getOutputStream(),
        host,
        START_TIMEOUT);
  }

  /** Kills every session; later starts are refused. */
  @Override
  public synchronized void close() {
    closed = true;
    checked = true;
    unavailable = "the backend was closed";
    for (BwrapHost host : List.copyOf(running)) {
      host.kill();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (BwrapHost host : List.copyOf(cleaning)) {
      host.awaitCleanup(deadline); // cgroups are removed once emptied: before the JVM may exit
    }
    Path dir = workDir;
    if (dir != null) {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        // a temporary directory: left for the system to clean
      }
    }
  }

  /** Sessions running now (for tests and metrics). */
  public int running() {
    return running.size();
  }

  private static Process start(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(new java.io.File("/"));
    pb.environment().clear(); // sh adds PWD: "/" then, not the engine's directory
    pb.environment().put("PATH", "/usr/bin:/bin");
    return pb.start();
  }

  private static @Nullable String findBwrap() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "bwrap");
      if (Files.isExecutable(p)) {
        return p.toAbsolutePath().toString();
      }
    }
    return Files.isExecutable(Path.of("/usr/bin/bwrap")) ? "/usr/bin/bwrap" : null;
  }
}
