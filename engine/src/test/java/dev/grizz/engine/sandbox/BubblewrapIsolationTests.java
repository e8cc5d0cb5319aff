package dev.grizz.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The isolation contract against bubblewrap, plus what only this backend promises (seccomp, no
 * capabilities, its own namespaces). Skipped only when bwrap is not installed; CI installs it.
 */
class BubblewrapIsolationTests extends SandboxIsolationContract {

  private static BubblewrapBackend backend;

  /** Made on first use (the contract's setup asks for it first); skips when bwrap is missing. */
  @Override
  protected synchronized SandboxBackend backend() {
    if (backend == null) {
      BubblewrapBackend made = new BubblewrapBackend();
      String reason = made.unavailableReason();
      Assumptions.assumeTrue(
          reason == null || !reason.startsWith("bubblewrap is not installed"),
          "bubblewrap is not installed: " + reason);
      assertThat(reason).as("bwrap is installed, so the backend must work").isNull();
      backend = made;
    }
    return backend;
  }

  @AfterAll
  static void closeBackend() {
    if (backend != null) {
      backend.close();
      assertThat(backend.running()).isZero();
    }
  }

  @Test
  void seccompCapabilitiesAndNamespacesAreInPlace() throws Exception {
    String out =
        attack(
            """
        import ctypes, os, socket
        libc = ctypes.CDLL(None, use_errno=True)
        print('ptrace', libc.ptrace(0, 0, 0, 0), ctypes.get_errno())
        print('unshare', libc.unshare(0x10000000), ctypes.get_errno())
        print('personality', libc.personality(0xffffffff), ctypes.get_errno())
        status = open('/proc/self/status').read()
        print([l for l in status.splitlines() if l.startswith(('CapEff', 'CapBnd', 'Seccomp:', 'NoNewPrivs'))])
        print('uid', os.getuid(), 'hostname', socket.gethostname())
        print('interfaces', sorted(n for _, n in socket.if_nameindex()))
        print('etc', sorted(os.listdir('/etc')))
        print('root', sorted(os.listdir('/')))
        """);
    assertThat(out)
        .contains("ptrace -1 1", "unshare -1 1", "personality -1 1")
        .contains("CapEff:\\t0000000000000000", "CapBnd:\\t0000000000000000", "Seccomp:\\t2")
        .contains("uid 1000 hostname sandbox", "interfaces ['lo']")
        .contains("etc ['alternatives', 'fonts', 'group', 'hosts', 'ld.so.cache', 'localtime',")
        .doesNotContain("'shadow'", "'work'", "'root',", "'home'");
  }

  @Test
  void aSessionKilledForMemorySaysSo() throws Exception {
    Assumptions.assumeTrue(
        SandboxCgroup.describe().contains("memory"), "no memory cgroup: rlimits only here");
    try (SandboxSession s = backend.start(new SessionSpec("oom", limits()))) {
      ExecResult r =
          s.exec(
              """
          import os, time
          if os.fork() == 0:
              y = bytearray(250 << 20)
              for i in range(0, len(y), 4096):
                  y[i] = 1
              time.sleep(30)
          time.sleep(1)
          x = bytearray(400 << 20)  # now the kernel is the largest: the OOM killer takes it
          for i in range(0, len(x), 4096):
              x[i] = 1
          time.sleep(30)
          """,
              SandboxSession.OutputListener.NONE);
      assertThat(r.status()).isEqualTo(ExecResult.Status.KILLED);
      assertThat(r.error()).contains("ran out of memory (limit 512 MiB)");
      assertThat(s.alive()).isFalse();
    }
  }

  @Test
  void aRootEngineRunsSessionsAsNobody() throws Exception {
    Assumptions.assumeTrue(BwrapCommand.dropRoot(), "the engine does not run as root here");
    try (SandboxSession s = backend.start(new SessionSpec("nobody", limits()))) {
      s.exec("print(1)", SandboxSession.OutputListener.NONE);
      var kernels =
          ProcessHandle.current()
              .descendants()
              .filter(p -> cmdline(p).contains(KernelProtocol.BOOTSTRAP))
              .toList();
      assertThat(kernels).isNotEmpty();
      for (ProcessHandle p : kernels) {
        String status =
            java.nio.file.Files.readString(
                java.nio.file.Path.of("/proc", Long.toString(p.pid()), "status"));
        assertThat(status).containsPattern("\\nUid:\\t65534\\t65534\\t65534\\t65534\\n");
      }
    }
  }

  private static String cmdline(ProcessHandle p) {
    try {
      return java.nio.file.Files.readString(
          java.nio.file.Path.of("/proc", Long.toString(p.pid()), "cmdline"));
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @Test
  void noSessionIsLeftBehind() throws Exception {
    int before = backend.running();
    attack("print(1)");
    assertThat(backend.running()).isEqualTo(before);
  }
}
