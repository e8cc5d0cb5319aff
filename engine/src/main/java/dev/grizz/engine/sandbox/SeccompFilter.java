package dev.grizz.engine.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The seccomp program bubblewrap loads into every session ({@code bwrap --seccomp FD}), compiled at
 * start by libseccomp through Debian's {@code python3-seccomp}: no hand-written BPF. Everything is
 * allowed except what a Python session never needs and a sandbox escape often does: those calls
 * fail with {@code EPERM}. Calls of another architecture (32-bit {@code int 0x80}) kill the
 * process, {@code clone3} reports {@code ENOSYS} (its flags cannot be inspected, so glibc falls
 * back to {@code clone}, whose namespace flags are refused) and {@code ioctl(TIOCSTI)} is refused.
 */
final class SeccompFilter {

  /** The calls refused outright. */
  static final List<String> DENIED =
      List.of(
          "ptrace",
          "process_vm_readv",
          "process_vm_writev",
          "mount",
          "umount2",
          "pivot_root",
          "chroot",
          "move_mount",
          "open_tree",
          "fsopen",
          "fsconfig",
          "fsmount",
          "fspick",
          "mount_setattr",
          "unshare",
          "setns",
          "kexec_load",
          "kexec_file_load",
          "bpf",
          "perf_event_open",
          "keyctl",
          "add_key",
          "request_key",
          "personality",
          "init_module",
          "finit_module",
          "delete_module",
          "reboot",
          "swapon",
          "swapoff",
          "acct",
          "syslog",
          "iopl",
          "ioperm",
          "quotactl",
          "open_by_handle_at",
          "name_to_handle_at",
          "userfaultfd",
          "lookup_dcookie",
          "vhangup",
          "settimeofday",
          "clock_settime",
          "adjtimex",
          "nfsservctl",
          "uselib");

  /** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME. */
  static final long CLONE_NAMESPACES =
      0x00020000L
          | 0x02000000L
          | 0x04000000L
          | 0x08000000L
          | 0x10000000L
          | 0x20000000L
          | 0x40000000L
          | 0x00000080L;

  private static final String SCRIPT =
      """
      import errno, sys, seccomp
      f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
      for name in sys.argv[2].split(","):
          try:
              f.add_rule(seccomp.ERRNO(errno.EPERM), name)
          except Exception:
              pass  # not a call on this kernel or libseccomp
      f.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
      ns = int(sys.argv[3])
      for bit in range(32):
          b = 1 << bit
          if ns & b:
              f.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, b, b))
      f.add_rule(seccomp.ERRNO(errno.EPERM), "ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, 0x5412))
      with open(sys.argv[1], "wb") as out:
          f.export_bpf(out)
      """;

  private SeccompFilter() {}

  /**
   * Compiles the filter into {@code target} with {@code python}.
   *
   * @throws IOException with what went wrong (python3-seccomp missing, say)
   */
  static void compile(String python, Path target) throws IOException {
    Path script = target.resolveSibling("seccomp-gen.py");
    Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(
                python,
                "-I",
                script.toString(),
                target.toString(),
                String.join(",", DENIED),
                Long.toString(CLONE_NAMESPACES))
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String output;
    try {
      output = new String(p.getInputStream().readNBytes(8192), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("compiling the seccomp filter took too long");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while compiling the seccomp filter", e);
    }
    Files.deleteIfExists(script);
    if (p.exitValue() != 0 || !Files.isRegularFile(target) || Files.size(target) == 0) {
      throw new IOException(
          "could not compile the seccomp filter (is python3-seccomp installed?): "
              + output.strip());
    }
  }
}
