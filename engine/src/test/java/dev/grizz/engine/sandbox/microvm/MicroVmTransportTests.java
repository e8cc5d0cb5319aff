package dev.grizz.engine.sandbox.microvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.sandbox.ExecResult;
import dev.grizz.engine.sandbox.SandboxLimits;
import dev.grizz.engine.sandbox.SandboxSession;
import dev.grizz.engine.sandbox.SessionSpec;
import dev.grizz.engine.sandbox.pool.SandboxShape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything of the micro-VM backend but the VM: a stand-in for qemu does what the guest's init
 * ({@code sandbox/vm/init.sh}) does with the same streams (says {@code up} on the control socket,
 * reads the base64 bootstrap line, runs {@code python3 -u -I -c} on qemu's stdin and stdout), so
 * the pool, the hand-over, KernelSession over qemu's stdio and the kill path run on any machine
 * with python3, KVM or not. The guest's own isolation is {@code MicroVmIsolationTests}' part.
 */
class MicroVmTransportTests {

  /** The stand-in: the control socket from qemu's arguments, then init.sh's last steps. */
  private static final String FAKE_QEMU =
      """
      #!/bin/sh
      for a; do case "$a" in socket,id=ctl,path=*) ctl="${a#socket,id=ctl,path=}" ;; esac; done
      echo "$@" > "$(dirname "$ctl")/args"
      python3 -c '
      import socket, sys
      s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"up\\n")
      while s.recv(64): pass
      ' "$ctl" < /dev/null > /dev/null 2>&1 &
      IFS= read -r boot
      exec python3 -u -I -c "$(printf '%s' "$boot" | base64 -d)"
      """;

  @TempDir static Path dir;
  private static MicroVmConfig config;

  @BeforeAll
  static void standIn() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3");
    Path qemu = dir.resolve("qemu");
    Files.writeString(qemu, FAKE_QEMU, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwx------"));
    Path image = Files.createDirectories(dir.resolve("image"));
    for (String f : List.of("vmlinuz", "initrd.img", "rootfs.img", "done")) {
      Files.writeString(image.resolve(f), "");
    }
    config =
        new MicroVmConfig(
            qemu,
            new MicroVmImage(image),
            Files.createDirectories(dir.resolve("run")),
            1,
            SandboxLimits.DEFAULTS,
            Duration.ofSeconds(20),
            MicroVmAccel.KVM);
  }

  @Test
  void aPooledVmBecomesASessionAndClosingKillsIt() throws Exception {
    try (MicroVmBackend backend = new MicroVmBackend(config, false)) {
      assertThat(backend.unavailableReason()).isNull();
      for (int i = 0; i < 100 && backend.pooled() == 0; i++) {
        Thread.sleep(100);
      }
      assertThat(backend.pooled()).isEqualTo(1);
      SandboxSession s = backend.start(new SessionSpec("t1", SandboxLimits.DEFAULTS));
      assertThat(s.exec("x = 41", SandboxSession.OutputListener.NONE).status())
          .isEqualTo(ExecResult.Status.OK);
      ExecResult r = s.exec("print(x + 1)", SandboxSession.OutputListener.NONE);
      assertThat(r.stdout()).isEqualTo("42\n");
      assertThat(backend.running()).isEqualTo(1);
      s.close();
      assertThat(s.alive()).isFalse();
      assertThat(backend.running()).isZero();
    }
  }

  @Test
  void theCommandLineHasNoNetworkNoSharedDirectoryAndTheSessionsMemory() {
    SandboxLimits limits =
        new SandboxLimits(
            256L << 20, Duration.ofSeconds(3), Duration.ofSeconds(4), 32, 1 << 20, 8 << 20, 1024);
    List<String> cmd = MicroVm.command(config, SandboxShape.of(limits), dir, dir.resolve("ctl"));
    String line = String.join(" ", cmd);
    assertThat(cmd).containsSequence("-m", "256M").containsSequence("-smp", "1");
    assertThat(line)
        .contains("-nodefaults", "readonly=on", "grizz.nproc=32", "grizz.disk=8388608")
        .doesNotContain("netdev", "virtio-net", "9p", "virtfs", "vhost-user", "-nic");
  }

  @Test
  void tcgIsChosenOnlyByNameAndSaysSo() {
    MicroVmConfig tcg =
        new MicroVmConfig(
            config.qemu(),
            config.image(),
            config.runDir(),
            0,
            config.poolLimits(),
            MicroVmAccel.TCG.bootTimeout(),
            MicroVmAccel.TCG);
    String kvmLine =
        String.join(
            " ", MicroVm.command(config, SandboxShape.of(SandboxLimits.DEFAULTS), dir, dir));
    String tcgLine =
        String.join(" ", MicroVm.command(tcg, SandboxShape.of(SandboxLimits.DEFAULTS), dir, dir));
    assertThat(kvmLine).contains("-accel kvm -cpu host").doesNotContain("tcg", "tsc_early_khz");
    assertThat(tcgLine).contains("-accel tcg,tb-size=64 -cpu max").doesNotContain("kvm");
    if (MicroVmAccel.hostTscKhz().isPresent()) {
      assertThat(tcgLine).containsPattern("tsc_early_khz=[1-9][0-9]{5,}");
    }
    try (MicroVmBackend backend = new MicroVmBackend(tcg)) {
      assertThat(backend.description()).startsWith("microvm (TCG: software emulation");
    }
    try (MicroVmBackend backend = new MicroVmBackend(config.withPoolSize(0), false)) {
      assertThat(backend.description()).isEqualTo("microvm");
    }
  }

  @Test
  void aVmThatDiesEndsTheCallAsKilledAndTheSessionRefusesMore() throws Exception {
    try (MicroVmBackend backend = new MicroVmBackend(config.withPoolSize(0), false)) {
      SandboxSession s = backend.start(new SessionSpec("t2", SandboxLimits.DEFAULTS));
      // the stand-in's python is "the VM": ending it is the guest dying (a panic, qemu killed)
      ExecResult r =
          s.exec("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", (a, b) -> {});
      assertThat(r.status()).isEqualTo(ExecResult.Status.KILLED);
      assertThat(s.alive()).isFalse();
      s.close();
      assertThat(backend.running()).isZero();
    }
  }
}
