package dev.grizz.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.sandbox.gvisor.GvisorBackend;
import dev.grizz.engine.sandbox.gvisor.GvisorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The isolation contract against gVisor ({@code runsc}, ptrace platform). Skipped only when runsc
 * or the sandbox root tree ({@code sandbox/vm/build.sh}) is missing; CI installs and builds both.
 */
class GvisorIsolationTests extends SandboxIsolationContract {

  private static GvisorBackend backend;

  @Override
  protected synchronized SandboxBackend backend() {
    if (backend == null) {
      GvisorConfig d = GvisorConfig.defaults();
      GvisorBackend made =
          new GvisorBackend(
              new GvisorConfig(
                  d.runsc(),
                  d.rootTree(),
                  d.stateDir(),
                  d.runDir(),
                  d.platform(),
                  1,
                  limits(),
                  d.startTimeout()));
      String reason = made.unavailableReason();
      if (reason != null) {
        made.close();
      }
      Assumptions.assumeTrue(reason == null, "gVisor backend unavailable: " + reason);
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
  void theSandboxedCodeTalksToGvisorNotTheHostKernel() throws Exception {
    String out =
        attack(
            """
        import os, socket
        print('uid', os.getuid(), 'hostname', socket.gethostname())
        print('interfaces', sorted(n for _, n in socket.if_nameindex()))
        print('kernel', os.uname().release, open('/proc/version').read()[:40])
        status = open('/proc/self/status').read()
        print([l for l in status.splitlines() if l.startswith(('CapEff', 'CapBnd'))])
        """);
    assertThat(out)
        .contains("uid 1000 hostname sandbox", "CapEff:\\t0000000000000000")
        .doesNotContain(System.getProperty("os.version"));
  }
}
