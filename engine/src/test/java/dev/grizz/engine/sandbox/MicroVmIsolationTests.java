package dev.grizz.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.sandbox.microvm.MicroVmBackend;
import dev.grizz.engine.sandbox.microvm.MicroVmConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The isolation contract against KVM micro-VMs. Skipped, with the backend's reason, when this
 * machine cannot run them: no qemu, no usable /dev/kvm (missing, not writable, or nested PVM, where
 * a stock kernel does not boot), or no image from {@code sandbox/vm/build.sh}.
 */
class MicroVmIsolationTests extends SandboxIsolationContract {

  private static MicroVmBackend backend;

  @Override
  protected synchronized SandboxBackend backend() {
    if (backend == null) {
      MicroVmConfig d = MicroVmConfig.defaults();
      MicroVmBackend made =
          new MicroVmBackend(
              new MicroVmConfig(
                  d.qemu(), d.image(), d.runDir(), 1, limits(), Duration.ofSeconds(30)));
      String reason = made.unavailableReason();
      if (reason != null) {
        made.close();
      }
      Assumptions.assumeTrue(reason == null, "micro-VM backend unavailable: " + reason);
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
  void theCodeRunsUnderItsOwnKernelWithoutANetworkDevice() throws Exception {
    String out =
        attack(
            """
        import os, socket
        print('uid', os.getuid(), 'hostname', socket.gethostname())
        print('interfaces', sorted(n for _, n in socket.if_nameindex()))
        print('cpus', os.cpu_count(), 'kernel', os.uname().release)
        """);
    assertThat(out)
        .contains("uid 1000 hostname sandbox", "interfaces ['lo']", "cpus 1", "cloud-amd64");
  }
}
