package dev.grizz.engine.sandbox.gvisor;

import dev.grizz.engine.sandbox.KernelProtocol;
import dev.grizz.engine.sandbox.SandboxException;
import dev.grizz.engine.sandbox.SandboxLimits;
import dev.grizz.engine.sandbox.pool.PooledSandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * One gVisor sandbox: {@code runsc run} of an OCI bundle whose root is the micro-VM image's
 * unpacked Debian tree (read only), with no network, uid 1000, no capabilities, no_new_privs, a
 * size-limited tmpfs each for {@code /tmp} and {@code /mnt/data}, rlimits, and the session's memory
 * and process limits as cgroup limits. Its process runs {@code python3 -u -I -c BOOTSTRAP}; runsc
 * passes its stdin and stdout through, so the runsc process's pipes are the session's stream.
 */
final class GvisorContainer implements PooledSandbox {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final GvisorConfig config;
  private final String containerId;
  private final Path bundle;
  private final Process process;
  private final AtomicBoolean closed = new AtomicBoolean();

  private GvisorContainer(GvisorConfig config, String containerId, Path bundle, Process process) {
    this.config = config;
    this.containerId = containerId;
    this.bundle = bundle;
    this.process = process;
  }

  static GvisorContainer start(GvisorConfig config, SandboxLimits limits, String containerId)
      throws SandboxException {
    Path bundle = null;
    try {
      bundle = Files.createTempDirectory(config.runDir(), "runsc-");
      Files.write(bundle.resolve("config.json"), JSON.writeValueAsBytes(spec(config, limits)));
      ProcessBuilder pb =
          new ProcessBuilder(
              config.runsc().toString(),
              "--root=" + config.stateDir(),
              "--network=none",
              "--platform=" + config.platform(),
              "run",
              "--bundle",
              bundle.toString(),
              containerId);
      pb.environment().clear();
      pb.redirectError(bundle.resolve("runsc.err").toFile());
      return new GvisorContainer(config, containerId, bundle, pb.start());
    } catch (IOException e) {
      if (bundle != null) {
        deleteTree(bundle);
      }
      throw new SandboxException("gVisor could not start: " + e.getMessage(), e);
    }
  }

  static Map<String, Object> spec(GvisorConfig config, SandboxLimits limits) {
    List<String> args = new ArrayList<>(KernelProtocol.command("/usr/bin/python3"));
    Map<String, Object> process = new LinkedHashMap<>();
    process.put("terminal", false);
    process.put("user", Map.of("uid", 1000, "gid", 1000));
    process.put("args", args);
    process.put(
        "env",
        List.of(
            "PATH=/usr/bin:/bin",
            "HOME=/mnt/data",
            "LANG=C.UTF-8",
            "MPLCONFIGDIR=/tmp",
            "MPLBACKEND=Agg"));
    process.put("cwd", "/mnt/data");
    List<String> none = List.of();
    process.put(
        "capabilities",
        Map.of(
            "bounding",
            none,
            "effective",
            none,
            "inheritable",
            none,
            "permitted",
            none,
            "ambient",
            none));
    process.put(
        "rlimits",
        List.of(
            rlimit("RLIMIT_NOFILE", 1024),
            rlimit("RLIMIT_NPROC", limits.maxProcesses()),
            rlimit("RLIMIT_FSIZE", limits.maxFileBytes()),
            rlimit("RLIMIT_CORE", 0)));
    process.put("noNewPrivileges", true);
    // /tmp and /mnt/data are two tmpfs here (gVisor has no bind mounts of a sandbox's own tmpfs),
    // each limited to half the disk limit so the two together stay within it.
    long half = Math.max(1 << 20, limits.maxDiskBytes() / 2);
    String tmpfs = "size=" + half;
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("ociVersion", "1.0.2");
    spec.put("process", process);
    spec.put("root", Map.of("path", config.rootTree().toString(), "readonly", true));
    spec.put("hostname", "sandbox");
    spec.put(
        "mounts",
        List.of(
            Map.of("destination", "/proc", "type", "proc", "source", "proc"),
            Map.of(
                "destination",
                "/tmp",
                "type",
                "tmpfs",
                "source",
                "tmpfs",
                "options",
                List.of("nosuid", "nodev", tmpfs, "mode=1777")),
            Map.of(
                "destination",
                "/mnt/data",
                "type",
                "tmpfs",
                "source",
                "tmpfs",
                "options",
                List.of("nosuid", "nodev", tmpfs, "mode=1777"))));
    spec.put(
        "linux",
        Map.of(
            "namespaces",
            List.of(
                Map.of("type", "pid"),
                Map.of("type", "ipc"),
                Map.of("type", "uts"),
                Map.of("type", "mount"),
                Map.of("type", "network")),
            "resources",
            Map.of(
                "memory", Map.of("limit", limits.memoryBytes()),
                "pids", Map.of("limit", limits.maxProcesses()))));
    return spec;
  }

  private static Map<String, Object> rlimit(String type, long value) {
    return Map.of("type", type, "hard", value, "soft", value);
  }

  @Override
  public InputStream fromGuest() {
    return process.getInputStream();
  }

  @Override
  public OutputStream toGuest() {
    return process.getOutputStream();
  }

  @Override
  public boolean alive() {
    return !closed.get() && process.isAlive();
  }

  @Override
  public String deathReason() {
    String errors = errors();
    return "the gVisor sandbox ended"
        + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")")
        + (errors == null ? "" : ": " + errors);
  }

  /** What runsc said on its stderr, for a message when the sandbox died. */
  private @Nullable String errors() {
    try {
      String text = Files.readString(bundle.resolve("runsc.err"), StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? null : text.substring(Math.max(0, text.length() - 600));
    } catch (IOException e) {
      return null;
    }
  }

  /** Kills the sandbox (runsc's sandbox and gofer processes too) and deletes its bundle. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    process.destroyForcibly();
    deleteContainer(config, containerId);
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteTree(bundle);
  }

  /** {@code runsc delete --force}: kills a container's sandbox and gofer and forgets it. */
  static void deleteContainer(GvisorConfig config, String containerId) {
    try {
      // `runsc run` killed leaves its sandbox and gofer behind: delete --force ends them.
      Process delete =
          new ProcessBuilder(
                  config.runsc().toString(),
                  "--root=" + config.stateDir(),
                  "delete",
                  "--force",
                  containerId)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!delete.waitFor(10, TimeUnit.SECONDS)) {
        delete.destroyForcibly();
      }
    } catch (IOException e) {
      // nothing more to do: the state directory's entry stays until the next delete
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory; the OS cleans it eventually
    }
  }
}
