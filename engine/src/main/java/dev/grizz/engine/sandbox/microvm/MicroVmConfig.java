package dev.grizz.engine.sandbox.microvm;

import dev.grizz.engine.sandbox.SandboxLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The micro-VM backend's settings.
 *
 * @param qemu the {@code qemu-system-x86_64} binary
 * @param image the guest that {@code sandbox/vm/build.sh} built
 * @param runDir where each VM gets a directory (its control socket and console log)
 * @param poolSize how many booted VMs wait for a session (0: every session boots its own)
 * @param poolLimits the limits the pooled VMs are booted for (sessions with another shape boot)
 * @param bootTimeout how long a boot may take before the VM is killed
 * @param accel KVM, or qemu's software emulation where there is no KVM (tests only)
 */
public record MicroVmConfig(
    Path qemu,
    MicroVmImage image,
    Path runDir,
    int poolSize,
    SandboxLimits poolLimits,
    Duration bootTimeout,
    MicroVmAccel accel) {

  public static final int DEFAULT_POOL_SIZE = 2;

  /** The defaults: qemu from Debian's qemu-system-x86, build.sh's image, a pool of two, KVM. */
  public static MicroVmConfig defaults() {
    return defaults(MicroVmAccel.KVM);
  }

  /** The defaults with the given accelerator (and its boot time limit). */
  public static MicroVmConfig defaults(MicroVmAccel accel) {
    return new MicroVmConfig(
        Path.of("/usr/bin/qemu-system-x86_64"),
        new MicroVmImage(MicroVmImage.defaultDir()),
        Path.of(System.getProperty("java.io.tmpdir")),
        DEFAULT_POOL_SIZE,
        SandboxLimits.DEFAULTS,
        accel.bootTimeout(),
        accel);
  }

  public MicroVmConfig withPoolSize(int size) {
    return new MicroVmConfig(qemu, image, runDir, size, poolLimits, bootTimeout, accel);
  }
}
