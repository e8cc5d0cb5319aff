package dev.grizz.engine.sandbox;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.atomic.AtomicBoolean;
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
  static final int SANDBOX_UID = 1000;

  private final String python;
  private final @Nullable String bwrap;
  private final Set<Host> running = ConcurrentHashMap.newKeySet();
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
    try {
      Path dir =
          Files.createTempDirectory(
              "grizz-bwrap-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      SeccompFilter.compile(python, dir.resolve("seccomp.bpf"));
      Files.writeString(
          dir.resolve("passwd"),
          "root:x:0:0:root:/:/usr/sbin/nologin\nsandbox:x:"
              + SANDBOX_UID
              + ":"
              + SANDBOX_UID
              + ":sandbox:/tmp:/usr/sbin/nologin\nnobody:x:65534:65534::/:/usr/sbin/nologin\n");
      Files.writeString(
          dir.resolve("group"), "root:x:0:\nsandbox:x:" + SANDBOX_UID + ":\nnogroup:x:65534:\n");
      Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost\n");
      workDir = dir;
    } catch (IOException e) {
      return e.getMessage();
    }
    List<String> probe = new java.util.ArrayList<>(launcher(List.of(), workDir));
    probe.addAll(sandboxArgs(SandboxLimits.DEFAULTS));
    probe.addAll(List.of(python, "-I", "-c", "print('ok')"));
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
    if (reason != null) {
      throw new SandboxException("the bubblewrap sandbox is not available: " + reason);
    }
    SandboxLimits limits = spec.limits();
    String name =
        spec.id() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    SandboxCgroup cgroup =
        SandboxCgroup.create(
            name, limits.memoryBytes() + limits.maxDiskBytes(), limits.maxProcesses());
    List<String> command = new java.util.ArrayList<>(launcher(cgroup.procsFiles(), workDir));
    command.addAll(sandboxArgs(limits));
    command.addAll(rlimits(limits));
    command.addAll(KernelProtocol.command(python));
    Process process;
    try {
      process = start(command);
    } catch (IOException e) {
      cgroup.remove();
      throw new SandboxException("the sandbox did not start: " + e.getMessage(), e);
    }
    Host host = new Host(process, cgroup, limits);
    running.add(host);
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
    for (Host host : List.copyOf(running)) {
      host.kill();
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

  /**
   * {@code sh -c}: joins the session's cgroups, opens the seccomp program as fd 3, then execs what
   * follows (bwrap), so bwrap is the engine's child and dies with it.
   */
  private List<String> launcher(List<Path> cgroupProcs, @Nullable Path dir) {
    StringBuilder script = new StringBuilder();
    for (Path procs : cgroupProcs) {
      script.append("echo $$ > '").append(procs).append("' || exit 97; ");
    }
    script.append("exec 3< \"$0\" || exit 98; exec \"$@\"");
    return List.of(
        "/bin/sh",
        "-c",
        script.toString(),
        String.valueOf(dir == null ? null : dir.resolve("seccomp.bpf")),
        String.valueOf(bwrap));
  }

  /** bwrap's options, up to the command it runs. */
  private List<String> sandboxArgs(SandboxLimits limits) {
    List<String> a =
        new java.util.ArrayList<>(
            List.of(
                "--unshare-all",
                "--die-with-parent",
                "--new-session",
                "--cap-drop",
                "ALL",
                "--uid",
                Integer.toString(SANDBOX_UID),
                "--gid",
                Integer.toString(SANDBOX_UID),
                "--hostname",
                "sandbox",
                "--ro-bind",
                "/usr",
                "/usr",
                "--symlink",
                "usr/bin",
                "/bin",
                "--symlink",
                "usr/lib",
                "/lib",
                "--symlink",
                "usr/lib64",
                "/lib64",
                "--symlink",
                "usr/sbin",
                "/sbin",
                "--ro-bind-try",
                "/etc/alternatives",
                "/etc/alternatives",
                "--ro-bind-try",
                "/etc/ld.so.cache",
                "/etc/ld.so.cache",
                "--ro-bind-try",
                "/etc/localtime",
                "/etc/localtime",
                "--ro-bind-try",
                "/etc/matplotlibrc",
                "/etc/matplotlibrc",
                "--ro-bind-try",
                "/etc/fonts",
                "/etc/fonts"));
    for (String f : List.of("passwd", "group", "hosts")) {
      a.addAll(List.of("--ro-bind", String.valueOf(workDir) + "/" + f, "/etc/" + f));
    }
    a.addAll(
        List.of(
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--size",
            Long.toString(limits.maxDiskBytes()),
            "--tmpfs",
            "/mnt",
            "--dir",
            "/mnt/data",
            "--perms",
            "01777",
            "--dir",
            "/mnt/tmp",
            "--symlink",
            "/mnt/tmp",
            "/tmp",
            "--remount-ro",
            "/",
            "--chdir",
            "/mnt/data",
            "--clearenv",
            "--setenv",
            "PATH",
            "/usr/bin:/bin",
            "--setenv",
            "HOME",
            "/tmp",
            "--setenv",
            "TMPDIR",
            "/tmp",
            "--setenv",
            "LANG",
            "C.UTF-8",
            "--setenv",
            "MPLBACKEND",
            "Agg",
            "--setenv",
            "MPLCONFIGDIR",
            "/tmp/.matplotlib",
            "--setenv",
            "OPENBLAS_NUM_THREADS",
            "1",
            "--setenv",
            "OMP_NUM_THREADS",
            "1",
            "--seccomp",
            "3",
            "--"));
    return a;
  }

  /** prlimit inside the sandbox: counted per session's user namespace, not against the engine. */
  private static List<String> rlimits(SandboxLimits limits) {
    return List.of(
        "/usr/bin/prlimit",
        "--as=" + limits.memoryBytes(),
        "--nproc=" + limits.maxProcesses(),
        "--fsize=" + limits.maxFileBytes(),
        "--nofile=1024",
        "--core=0",
        "--");
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

  /** One session's process and cgroups: how it is stopped and why it died. */
  private final class Host implements KernelSession.Host {
    private final Process process;
    private final SandboxCgroup cgroup;
    private final SandboxLimits limits;
    private final AtomicBoolean killed = new AtomicBoolean();
    private volatile boolean outOfMemory;
    private final StringBuffer stderr = new StringBuffer();

    Host(Process process, SandboxCgroup cgroup, SandboxLimits limits) {
      this.process = process;
      this.cgroup = cgroup;
      this.limits = limits;
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
      for (long pid : cgroup.members()) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      running.remove(this);
      Thread.ofVirtual().start(this::removeCgroup);
    }

    private void removeCgroup() {
      for (int i = 0; i < 50 && !cgroup.remove(); i++) {
        for (long pid : cgroup.members()) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
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
}
