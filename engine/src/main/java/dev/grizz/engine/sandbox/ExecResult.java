package dev.grizz.engine.sandbox;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How one call ended.
 *
 * @param status how it ended
 * @param stdout the call's standard output (cut at the output limit)
 * @param stderr its standard error (cut likewise)
 * @param error for {@link Status#ERROR}, the Python traceback; for the other failures, what
 *     happened in plain words (the limit that was hit); null on success
 * @param truncated whether output was cut
 * @param files the files under {@code /mnt/data} that the call created or changed, with contents
 * @param took wall-clock time of the call inside the sandbox
 */
public record ExecResult(
    Status status,
    String stdout,
    String stderr,
    @Nullable String error,
    boolean truncated,
    List<SandboxFile> files,
    Duration took) {

  public enum Status {
    /** Ran to the end. */
    OK,
    /** Raised an exception; the session lives on. */
    ERROR,
    /** Passed its wall-clock or CPU limit and was interrupted; the session lives on. */
    TIMEOUT,
    /** Passed a hard limit (memory, processes, disk) or died; the session is gone. */
    KILLED
  }

  public enum Stream {
    STDOUT,
    STDERR
  }
}
