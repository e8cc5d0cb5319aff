package dev.grizz.engine.sandbox;

import java.time.Duration;

/**
 * What one session may use. A call that passes a per-call limit ends with {@link
 * ExecResult.Status#TIMEOUT} or {@link ExecResult.Status#KILLED}; the session survives a timeout
 * when the backend can interrupt the code, and is gone after a kill.
 *
 * @param memoryBytes the session's memory (address space or cgroup), all processes together
 * @param cpuPerCall CPU time one call may use
 * @param wallPerCall wall-clock time one call may take
 * @param maxProcesses processes and threads the session may have at once
 * @param maxFileBytes the largest file the code may write
 * @param maxDiskBytes all files under {@code /mnt/data} and {@code /tmp} together
 * @param maxOutputBytes stdout plus stderr kept per call; beyond it the output is cut with a note
 */
public record SandboxLimits(
    long memoryBytes,
    Duration cpuPerCall,
    Duration wallPerCall,
    int maxProcesses,
    long maxFileBytes,
    long maxDiskBytes,
    int maxOutputBytes) {

  public static final long DEFAULT_MEMORY_BYTES = 512L << 20;
  public static final Duration DEFAULT_CPU_PER_CALL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_WALL_PER_CALL = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_PROCESSES = 64;
  public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
  public static final long DEFAULT_MAX_DISK_BYTES = 256L << 20;
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 64 << 10;

  public static final SandboxLimits DEFAULTS =
      new SandboxLimits(
          DEFAULT_MEMORY_BYTES,
          DEFAULT_CPU_PER_CALL,
          DEFAULT_WALL_PER_CALL,
          DEFAULT_MAX_PROCESSES,
          DEFAULT_MAX_FILE_BYTES,
          DEFAULT_MAX_DISK_BYTES,
          DEFAULT_MAX_OUTPUT_BYTES);
}
