package dev.grizz.engine.sandbox.microvm;

import dev.grizz.engine.sandbox.KernelProtocol;
import dev.grizz.engine.sandbox.SandboxException;
import dev.grizz.engine.sandbox.SandboxLimits;
import dev.grizz.engine.sandbox.pool.PooledBackend;
import dev.grizz.engine.sandbox.pool.SandboxShape;
import java.nio.file.Files;
import org.jspecify.annotations.Nullable;

/**
 * Sessions as micro-VMs: each session is its own guest kernel (see {@link MicroVm}), so code in it
 * reaches the host only through qemu's few virtio devices. A pool of booted VMs (booted for {@link
 * MicroVmConfig#poolLimits}) makes {@link #start} a hand-over plus the kernel's handshake; a
 * session with other limits boots its own VM.
 */
public final class MicroVmBackend extends PooledBackend<MicroVm> {

  private final MicroVmConfig config;
  private final boolean checkKvm;
  private volatile @Nullable String bootFailure;

  public MicroVmBackend() {
    this(MicroVmConfig.defaults());
  }

  public MicroVmBackend(MicroVmConfig config) {
    this(config, true);
  }

  /** With {@code checkKvm} false, for tests that put a stand-in for qemu in its place. */
  MicroVmBackend(MicroVmConfig config, boolean checkKvm) {
    super("microvm", config.poolSize(), config.poolLimits(), config.bootTimeout());
    this.config = config;
    this.checkKvm = checkKvm;
    if (unavailableReason() == null) {
      fillPool();
    }
  }

  @Override
  public String name() {
    return "microvm";
  }

  @Override
  public String description() {
    return config.accel() == MicroVmAccel.KVM
        ? name()
        : name() + " (TCG: software emulation, slow and not a security boundary; tests only)";
  }

  /**
   * What is missing on this machine, or else why the last boot failed (cleared by the next boot
   * that works).
   */
  @Override
  public @Nullable String unavailableReason() {
    String missing = startProblem();
    return missing != null ? missing : bootFailure;
  }

  /** What is missing on this machine (a failed boot does not stop the next try). */
  @Override
  protected @Nullable String startProblem() {
    if (!Files.isExecutable(config.qemu())) {
      return "qemu is not installed: no "
          + config.qemu()
          + " (apt-get install --no-install-recommends qemu-system-x86)";
    }
    String kvm = checkKvm && config.accel() == MicroVmAccel.KVM ? MicroVmAccel.kvmProblem() : null;
    if (kvm != null) {
      return kvm;
    }
    return config.image().missing();
  }

  @Override
  protected MicroVm launch(SandboxLimits limits, String purpose) throws SandboxException {
    try {
      MicroVm vm = MicroVm.boot(config, SandboxShape.of(limits), KernelProtocol.BOOTSTRAP);
      bootFailure = null;
      return vm;
    } catch (SandboxException e) {
      bootFailure = e.getMessage();
      throw e;
    }
  }
}
