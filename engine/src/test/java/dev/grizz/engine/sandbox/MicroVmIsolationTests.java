package dev.grizz.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.sandbox.microvm.MicroVmAccel;
import dev.grizz.engine.sandbox.microvm.MicroVmBackend;
import dev.grizz.engine.sandbox.microvm.MicroVmConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The isolation contract against micro-VMs: KVM where this machine has a usable /dev/kvm, else
 * qemu's software emulation (TCG) with the same guest, devices and protocol, so the real boot path
 * runs on every machine. Skipped, with the backend's reason, only without qemu or the image from
 * {@code sandbox/vm/build.sh} (CI installs and builds both).
 */
class MicroVmIsolationTests extends SandboxIsolationContract {

  private static final MicroVmAccel ACCEL = MicroVmAccel.fastestHere();
  private static MicroVmBackend backend;

  /**
   * Under TCG the contract's 3 s of CPU and 4 s of wall time are too short for what must be reached
   * within them: on a busy CI machine the emulated guest filled 384 MiB in 3.6 s, so the memory
   * bomb met the wall clock before the out-of-memory kill. Half the guest memory and about three
   * times the time keep each case about what it tests.
   */
  @Override
  protected SandboxLimits limits() {
    SandboxLimits l = super.limits();
    return ACCEL == MicroVmAccel.KVM
        ? l
        : new SandboxLimits(
            256L << 20,
            Duration.ofSeconds(8),
            Duration.ofSeconds(10),
            l.maxProcesses(),
            l.maxFileBytes(),
            l.maxDiskBytes(),
            l.maxOutputBytes());
  }

  /** Under TCG, importing pandas takes 6–9 s of emulated CPU (bench/RESULTS.md). */
  @Override
  protected SandboxLimits importLimits() {
    SandboxLimits l = limits();
    return ACCEL == MicroVmAccel.KVM
        ? l
        : new SandboxLimits(
            l.memoryBytes(),
            Duration.ofSeconds(60),
            Duration.ofSeconds(90),
            l.maxProcesses(),
            l.maxFileBytes(),
            l.maxDiskBytes(),
            l.maxOutputBytes());
  }

  @Override
  protected synchronized SandboxBackend backend() {
    if (backend == null) {
      MicroVmConfig d = MicroVmConfig.defaults(ACCEL);
      MicroVmBackend made =
          new MicroVmBackend(
              new MicroVmConfig(
                  d.qemu(), d.image(), d.runDir(), 1, limits(), d.bootTimeout(), ACCEL));
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
