package dev.grizz.engine.sandbox.gvisor;

import dev.grizz.engine.sandbox.SandboxLimits;
import dev.grizz.engine.sandbox.microvm.MicroVmImage;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The gVisor backend's settings.
 *
 * @param runsc the {@code runsc} binary (Debian's package runsc)
 * @param rootTree the sandbox's root: the Debian tree {@code sandbox/vm/build.sh} unpacks
 * @param stateDir runsc's {@code --root}, its containers' state
 * @param runDir where each container's OCI bundle is written
 * @param platform runsc's {@code --platform}: {@code ptrace} (the one that runs here) or {@code
 *     kvm}
 * @param poolSize how many started sandboxes wait for a session
 * @param poolLimits the limits pooled sandboxes are started with
 * @param startTimeout how long a start may take, the kernel's handshake included
 */
public record GvisorConfig(
    Path runsc,
    Path rootTree,
    Path stateDir,
    Path runDir,
    String platform,
    int poolSize,
    SandboxLimits poolLimits,
    Duration startTimeout) {

  public static GvisorConfig defaults() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    return new GvisorConfig(
        Path.of("/usr/bin/runsc"),
        new MicroVmImage(MicroVmImage.defaultDir()).rootTree(),
        tmp.resolve("grizz-runsc"),
        tmp,
        "ptrace",
        2,
        SandboxLimits.DEFAULTS,
        Duration.ofSeconds(30));
  }

  public GvisorConfig withPoolSize(int size) {
    return new GvisorConfig(
        runsc, rootTree, stateDir, runDir, platform, size, poolLimits, startTimeout);
  }
}
