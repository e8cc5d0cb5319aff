package dev.grizz.engine.sandbox.microvm;

import dev.grizz.engine.sandbox.KernelProtocol;
import dev.grizz.engine.sandbox.KernelSession;
import dev.grizz.engine.sandbox.SandboxBackend;
import dev.grizz.engine.sandbox.SandboxException;
import dev.grizz.engine.sandbox.SandboxSession;
import dev.grizz.engine.sandbox.SessionSpec;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Sessions as KVM micro-VMs: each session is its own guest kernel (see {@link MicroVm}), so code in
 * it reaches the host only through qemu's few virtio devices. A pool of booted VMs (booted for
 * {@link MicroVmConfig#poolLimits}) makes {@link #start} a hand-over plus the kernel's handshake; a
 * session with other limits boots its own VM.
 */
public final class MicroVmBackend implements SandboxBackend {

  private final MicroVmConfig config;
  private final MicroVmShape poolShape;
  private final WarmPool<MicroVm> pool;
  private final Set<MicroVm> running = ConcurrentHashMap.newKeySet();
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
    this.config = config;
    this.checkKvm = checkKvm;
    this.poolShape = MicroVmShape.of(config.poolLimits());
    this.pool = new WarmPool<>("microvm", config.poolSize(), this::bootForPool, MicroVm::alive);
    if (unavailableReason() == null) {
      pool.fill();
    }
  }

  @Override
  public String name() {
    return "microvm";
  }

  /**
   * What is missing on this machine, or else why the last boot failed (cleared by the next boot
   * that works).
   */
  @Override
  public @Nullable String unavailableReason() {
    String missing = missing();
    return missing != null ? missing : bootFailure;
  }

  private @Nullable String missing() {
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
  public String description() {
    return config.accel() == MicroVmAccel.KVM
        ? name()
        : name() + " (TCG: software emulation, slow and not a security boundary; tests only)";
  }

  @Override
  public SandboxSession start(SessionSpec spec) throws SandboxException {
    String reason = missing();
    if (reason != null) {
      throw new SandboxException("the microvm sandbox is unavailable: " + reason);
    }
    MicroVmShape shape = MicroVmShape.of(spec.limits());
    MicroVm vm = shape.equals(poolShape) ? pool.take() : null;
    if (vm == null) {
      vm = boot(shape);
    }
    MicroVm v = vm;
    running.add(v);
    KernelSession.Host host =
        new KernelSession.Host() {
          @Override
          public void kill() {
            v.close();
            running.remove(v);
          }

          @Override
          public @Nullable String deathReason() {
            return "the micro-VM stopped (out of memory, a crash, or killed): " + v.consoleTail();
          }
        };
    return KernelSession.open(
        spec.id(), spec.limits(), v.fromGuest(), v.toGuest(), host, config.bootTimeout());
  }

  private MicroVm bootForPool() throws SandboxException {
    return boot(poolShape);
  }

  private MicroVm boot(MicroVmShape shape) throws SandboxException {
    try {
      MicroVm vm = MicroVm.boot(config, shape, KernelProtocol.BOOTSTRAP);
      bootFailure = null;
      return vm;
    } catch (SandboxException e) {
      bootFailure = e.getMessage();
      throw e;
    }
  }

  /** Sessions started and not yet closed (pooled VMs not counted). */
  public int running() {
    running.removeIf(vm -> !vm.alive());
    return running.size();
  }

  /** Booted VMs waiting in the pool. */
  public int pooled() {
    return pool.ready();
  }

  @Override
  public void close() {
    pool.close();
    for (MicroVm vm : running) {
      vm.close();
    }
    running.clear();
  }
}
