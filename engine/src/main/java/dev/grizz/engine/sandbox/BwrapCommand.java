package dev.grizz.engine.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a bubblewrap session, and the files it binds into {@code /etc} (made once in
 * the backend's private work directory). Only {@code /usr} (read-only), a few {@code /etc} files, a
 * fresh {@code /proc}, a minimal {@code /dev} and one tmpfs are visible inside.
 */
final class BwrapCommand {

  static final int SANDBOX_UID = 1000;

  /**
   * The host user a session runs as when the engine is root: bwrap would otherwise map the
   * sandbox's user to host root, which owns every file a bind could expose.
   */
  static final int HOST_UID_WHEN_ROOT = 65534;

  static final String SETPRIV = "/usr/bin/setpriv";

  /** Namespaces, identity, and the read-only system; paths contain no spaces. */
  private static final String BASE =
      """
      --unshare-all --die-with-parent --new-session --cap-drop ALL
      --uid 1000 --gid 1000 --hostname sandbox
      --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib
      --symlink usr/lib64 /lib64 --symlink usr/sbin /sbin
      --ro-bind-try /etc/alternatives /etc/alternatives
      --ro-bind-try /etc/ld.so.cache /etc/ld.so.cache
      --ro-bind-try /etc/localtime /etc/localtime
      --ro-bind-try /etc/matplotlibrc /etc/matplotlibrc
      --ro-bind-try /etc/fonts /etc/fonts
      """;

  /**
   * The writable part, one tmpfs for /mnt/data and /tmp (so the disk limit covers both), then the
   * environment: nothing of the engine's, only what Python and matplotlib need.
   */
  private static final String REST =
      """
      --proc /proc --dev /dev
      --dir /mnt/data --perms 01777 --dir /mnt/tmp --symlink /mnt/tmp /tmp
      --remount-ro / --chdir /mnt/data
      --clearenv --setenv PATH /usr/bin:/bin --setenv HOME /tmp --setenv TMPDIR /tmp
      --setenv LANG C.UTF-8 --setenv MPLBACKEND Agg --setenv MPLCONFIGDIR /tmp/.matplotlib
      --setenv OPENBLAS_NUM_THREADS 1 --setenv OMP_NUM_THREADS 1
      --seccomp 3 --
      """;

  private BwrapCommand() {}

  /** Writes the work directory's files: the seccomp program, passwd, group, hosts. */
  static void prepare(Path dir, String python) throws IOException {
    SeccompFilter.compile(python, dir.resolve("seccomp.bpf"));
    String uid = Integer.toString(SANDBOX_UID);
    Files.writeString(
        dir.resolve("passwd"),
        "root:x:0:0:root:/:/usr/sbin/nologin\nsandbox:x:"
            + uid
            + ":"
            + uid
            + ":sandbox:/tmp:/usr/sbin/nologin\n"
            + "nobody:x:65534:65534::/:/usr/sbin/nologin\n");
    Files.writeString(
        dir.resolve("group"), "root:x:0:\nsandbox:x:" + uid + ":\nnogroup:x:65534:\n");
    Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost\n");
    for (String f : List.of("seccomp.bpf", "passwd", "group", "hosts")) {
      Files.setPosixFilePermissions(
          dir.resolve(f), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /**
   * The whole command: {@code sh -c} joins the session's cgroups and opens the seccomp program as
   * fd 3, then execs bwrap (so bwrap is the engine's child and dies with it), which runs {@code
   * program} under prlimit inside the sandbox.
   */
  static List<String> build(
      String bwrap,
      Path workDir,
      List<Path> cgroupProcs,
      SandboxLimits limits,
      List<String> program) {
    StringBuilder script = new StringBuilder();
    for (Path procs : cgroupProcs) {
      script.append("echo $$ > '").append(procs).append("' || exit 97; ");
    }
    script.append("exec 3< \"$0\" || exit 98; exec \"$@\"");
    List<String> c = new ArrayList<>();
    c.addAll(
        List.of("/bin/sh", "-c", script.toString(), workDir.resolve("seccomp.bpf").toString()));
    if (dropRoot()) {
      String id = Integer.toString(HOST_UID_WHEN_ROOT);
      c.addAll(List.of(SETPRIV, "--reuid=" + id, "--regid=" + id, "--clear-groups"));
    }
    c.add(bwrap);
    c.addAll(words(BASE));
    for (String f : List.of("passwd", "group", "hosts")) {
      c.addAll(List.of("--ro-bind", workDir.resolve(f).toString(), "/etc/" + f));
    }
    c.addAll(List.of("--size", Long.toString(limits.maxDiskBytes()), "--tmpfs", "/mnt"));
    c.addAll(words(REST));
    c.addAll(rlimits(limits));
    c.addAll(program);
    return c;
  }

  /**
   * prlimit inside the sandbox, after the user namespace exists: the process count is then counted
   * per session (its own namespace's uid), not against the engine's user.
   */
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

  /** Whether the engine runs as root and can hand the session to an unprivileged host user. */
  static boolean dropRoot() {
    return ROOT && Files.isExecutable(Path.of(SETPRIV));
  }

  private static final boolean ROOT = engineIsRoot();

  private static boolean engineIsRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).strip().split("\\s+")[1].equals("0"); // effective uid
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux's /proc: assume not root
    }
    return false;
  }

  private static List<String> words(String text) {
    return List.of(text.strip().split("\\s+"));
  }
}
