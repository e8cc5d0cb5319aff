package dev.grizz.engine.codeinterpreter;

import dev.grizz.engine.config.SettingException;
import dev.grizz.engine.sandbox.microvm.MicroVmAccel;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The code sandbox ({@code grizz.sandbox.*}).
 *
 * @param backend {@code auto} (the first of bubblewrap, gVisor that runs here), one of them by
 *     name, or {@code none} (no code execution)
 * @param idleTimeout a session no call used for this long is stopped (its files stay)
 * @param maxSessionsPerUser sessions one user may have at once on a pod; the least recently used
 *     idle one is stopped to make room
 * @param maxSessions sessions a pod runs at once
 * @param dailySecondsPerUser sandbox seconds one user may use in a day (negative: no limit)
 * @param memoryMb a session's memory
 * @param callTimeout a call's wall-clock limit (its CPU limit is the same)
 * @param microvmAccel how the microvm backend runs its guests: {@code kvm}, or {@code tcg} (qemu's
 *     software emulation, for machines without KVM: slow, and not a security boundary)
 */
@ConfigurationProperties("grizz.sandbox")
public record SandboxSettings(
    String backend,
    Duration idleTimeout,
    int maxSessionsPerUser,
    int maxSessions,
    int dailySecondsPerUser,
    int memoryMb,
    Duration callTimeout,
    MicroVmAccel microvmAccel) {

  public static final String AUTO = "auto";
  public static final String NONE = "none";

  public SandboxSettings {
    SettingException.check(
        backend != null && backend.matches("auto|none|bubblewrap|gvisor|microvm"),
        "grizz.sandbox.backend",
        backend,
        "must be auto, none, bubblewrap, gvisor or microvm");
    SettingException.check(
        !idleTimeout.isNegative() && !idleTimeout.isZero(),
        "grizz.sandbox.idle-timeout",
        idleTimeout,
        "must be positive");
    SettingException.min("grizz.sandbox.max-sessions-per-user", maxSessionsPerUser, 1);
    SettingException.min("grizz.sandbox.max-sessions", maxSessions, 1);
    SettingException.min("grizz.sandbox.memory-mb", memoryMb, 64);
    SettingException.check(
        callTimeout.toSeconds() >= 1 && callTimeout.toMinutes() <= 30,
        "grizz.sandbox.call-timeout",
        callTimeout,
        "must be between 1 s and 30 min");
  }
}
