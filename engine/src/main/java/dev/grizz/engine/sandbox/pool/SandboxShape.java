package dev.grizz.engine.sandbox.pool;

import dev.grizz.engine.sandbox.SandboxLimits;

/**
 * What a VM (or any pooled sandbox) is started with, fixed for its life: its RAM and the guest's
 * limits set by its init. A pooled VM serves a session whose limits have the same shape (the
 * per-call limits and the output limit are the engine's, so they do not count).
 */
public record SandboxShape(
    long memoryBytes, int maxProcesses, long maxFileBytes, long maxDiskBytes) {

  /** The least RAM a guest gets: the kernel, Python and pandas need about 100 MiB. */
  public static final long MIN_MEMORY_BYTES = 192L << 20;

  public static SandboxShape of(SandboxLimits limits) {
    return new SandboxShape(
        Math.max(MIN_MEMORY_BYTES, limits.memoryBytes()),
        limits.maxProcesses(),
        limits.maxFileBytes(),
        limits.maxDiskBytes());
  }
}
