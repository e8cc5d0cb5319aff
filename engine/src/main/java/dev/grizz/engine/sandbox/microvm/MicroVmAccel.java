package dev.grizz.engine.sandbox.microvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * How qemu runs the guest's CPU ({@code grizz.sandbox.microvm-accel}).
 *
 * <ul>
 *   <li>{@link #KVM}: hardware virtualisation through {@code /dev/kvm}. The production choice: the
 *       guest kernel is the isolation boundary, and qemu's KVM mode is what QEMU's security policy
 *       covers.
 *   <li>{@link #TCG}: qemu's software emulation, for machines with no usable KVM (this project's CI
 *       machines). The same guest, devices, protocol and limits, so the boot path and the isolation
 *       suite run anywhere; but it is many times slower, and QEMU does not treat TCG as a security
 *       boundary. Chosen only by name, never by {@code auto}.
 * </ul>
 */
public enum MicroVmAccel {
  KVM,
  TCG;

  /** Why KVM cannot run the guest on this machine; null when it can. */
  public static @Nullable String kvmProblem() {
    Path kvm = Path.of("/dev/kvm");
    if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
      return "no KVM: /dev/kvm is missing or not readable and writable by the engine's user"
          + " (a host with virtualisation, or nested virtualisation, and the kvm group; or"
          + " GRIZZ_SANDBOX_MICROVM_ACCEL=tcg for tests)";
    }
    if (Files.isDirectory(Path.of("/sys/module/kvm_pvm"))) {
      return "this machine's /dev/kvm is kvm-pvm (nested PVM, software virtualisation): a stock"
          + " Debian kernel boots about a thousand times slower there and dies with \"KVM"
          + " internal error: emulation failure\" (lock cmpxchg16b); run the micro-VM backend on"
          + " a host with hardware virtualisation (or GRIZZ_SANDBOX_MICROVM_ACCEL=tcg for tests)";
    }
    return null;
  }

  /** KVM where it runs, else TCG (tests and benchmarks take what the machine has). */
  public static MicroVmAccel fastestHere() {
    return kvmProblem() == null ? KVM : TCG;
  }

  /**
   * The qemu arguments that select this accelerator and the guest's CPU model. TCG's translation
   * cache is held to 64 MiB: qemu's default let an idle session's qemu reach about 310 MiB of RSS
   * against 260 MiB, with the same speed (bench/RESULTS.md).
   */
  List<String> qemuArgs() {
    return this == KVM
        ? List.of("-accel", "kvm", "-cpu", "host")
        : List.of("-accel", "tcg,tb-size=64", "-cpu", "max");
  }

  /**
   * What the guest kernel's command line needs for this accelerator. Under TCG the guest's TSC is
   * the host's, and its calibration against the emulated PIT fails when the host is busy (the boot
   * then stalls at timer set-up), so the host's TSC rate is given outright.
   */
  String kernelArgs() {
    if (this == KVM) {
      return "";
    }
    OptionalLong khz = hostTscKhz();
    return khz.isPresent() ? " tsc_early_khz=" + khz.getAsLong() : "";
  }

  /** A boot's time limit: TCG boots take seconds (bench/RESULTS.md). */
  java.time.Duration bootTimeout() {
    return this == KVM ? java.time.Duration.ofSeconds(20) : java.time.Duration.ofSeconds(90);
  }

  /** The host CPU's clock from /proc/cpuinfo, which on x86 guests and hosts is the TSC's rate. */
  static OptionalLong hostTscKhz() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("cpu MHz")) {
          double mhz = Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
          return mhz > 0 ? OptionalLong.of(Math.round(mhz * 1000)) : OptionalLong.empty();
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no hint: the guest calibrates on its own
    }
    return OptionalLong.empty();
  }
}
