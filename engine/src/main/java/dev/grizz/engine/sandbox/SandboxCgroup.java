package dev.grizz.engine.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A session's cgroups, when the engine may make them (root, or a delegated subtree): memory for all
 * its processes together and a process count, on cgroup v2 or v1's memory and pids hierarchies.
 * Without them the session still has its rlimits. The launcher writes its own pid into {@link
 * #procsFiles()} before it execs bubblewrap, so nothing the session starts escapes them.
 */
final class SandboxCgroup {

  private static final Path ROOT = Path.of("/sys/fs/cgroup");
  private static final String PARENT = "grizz-sandbox";

  private final List<Path> dirs;
  private final @Nullable Path memory;
  private final @Nullable Path pids;
  private final boolean v2;

  private SandboxCgroup(List<Path> dirs, @Nullable Path memory, @Nullable Path pids, boolean v2) {
    this.dirs = dirs;
    this.memory = memory;
    this.pids = pids;
    this.v2 = v2;
  }

  /** What this machine offers, for logs and reports: "cgroup v1 memory+pids", "none", ... */
  static String describe() {
    if (usableV2()) {
      return "cgroup v2 memory+pids";
    }
    String v1 =
        (writable(ROOT.resolve("memory")) ? "memory" : "")
            + (writable(ROOT.resolve("pids"))
                ? (writable(ROOT.resolve("memory")) ? "+" : "") + "pids"
                : "");
    return v1.isEmpty() ? "none (rlimits only)" : "cgroup v1 " + v1;
  }

  /** Makes the session's cgroups with its limits; an empty one when none can be made. */
  static SandboxCgroup create(String name, long memoryBytes, int maxProcesses) {
    List<Path> dirs = new ArrayList<>();
    Path memory = null;
    Path pids = null;
    boolean v2 = usableV2();
    try {
      if (v2) {
        Path dir = Files.createDirectories(ROOT.resolve(PARENT)).resolve(name);
        enableControllers(ROOT.resolve(PARENT));
        Files.createDirectory(dir);
        dirs.add(dir);
        write(dir.resolve("memory.max"), memoryBytes);
        write(dir.resolve("memory.swap.max"), 0);
        write(dir.resolve("pids.max"), maxProcesses);
        memory = dir;
        pids = dir;
      } else {
        if (writable(ROOT.resolve("memory"))) {
          Path dir = Files.createDirectories(ROOT.resolve("memory").resolve(PARENT)).resolve(name);
          Files.createDirectory(dir);
          dirs.add(dir);
          write(dir.resolve("memory.limit_in_bytes"), memoryBytes);
          try {
            write(dir.resolve("memory.memsw.limit_in_bytes"), memoryBytes);
          } catch (IOException e) {
            // no swap accounting: memory alone is limited
          }
          memory = dir;
        }
        if (writable(ROOT.resolve("pids"))) {
          Path dir = Files.createDirectories(ROOT.resolve("pids").resolve(PARENT)).resolve(name);
          Files.createDirectory(dir);
          dirs.add(dir);
          write(dir.resolve("pids.max"), maxProcesses);
          pids = dir;
        }
      }
    } catch (IOException | RuntimeException e) {
      new SandboxCgroup(dirs, null, null, v2).remove();
      return new SandboxCgroup(List.of(), null, null, v2);
    }
    return new SandboxCgroup(dirs, memory, pids, v2);
  }

  /**
   * Removes sessions' cgroups left by an engine that died (empty, and older than a minute, so never
   * one another engine has just made and not yet joined); non-empty ones cannot be removed.
   */
  static void removeStale() {
    long cutoff = System.currentTimeMillis() - 60_000;
    for (Path parent :
        List.of(
            ROOT.resolve(PARENT),
            ROOT.resolve("memory").resolve(PARENT),
            ROOT.resolve("pids").resolve(PARENT))) {
      if (!Files.isDirectory(parent)) {
        continue;
      }
      try (var dirs = Files.list(parent)) {
        for (Path dir : dirs.filter(Files::isDirectory).toList()) {
          if (Files.getLastModifiedTime(dir).toMillis() < cutoff) {
            try {
              Files.deleteIfExists(dir);
            } catch (IOException e) {
              // in use
            }
          }
        }
      } catch (IOException e) {
        // not ours to list
      }
    }
  }

  /** The {@code cgroup.procs} files the launcher joins. */
  List<Path> procsFiles() {
    return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
  }

  /** Whether the memory cgroup's OOM killer killed a process since it was made. */
  boolean ranOutOfMemory() {
    if (memory == null) {
      return false;
    }
    if (v2) {
      return counter(memory.resolve("memory.events"), "oom_kill") > 0;
    }
    return counter(memory.resolve("memory.oom_control"), "oom_kill") > 0;
  }

  /** Whether a fork was refused at the process limit. */
  boolean hitProcessLimit() {
    return pids != null && counter(pids.resolve("pids.events"), "max") > 0;
  }

  /** The pids still in the session's cgroups. */
  List<Long> members() {
    List<Long> out = new ArrayList<>();
    for (Path procs : procsFiles()) {
      try {
        for (String line : Files.readAllLines(procs)) {
          if (!line.isBlank()) {
            out.add(Long.parseLong(line.strip()));
          }
        }
      } catch (IOException | NumberFormatException e) {
        // gone
      }
    }
    return out;
  }

  /** Removes the cgroups; true when none is left (they must be empty first). */
  boolean remove() {
    boolean all = true;
    for (Path dir : dirs) {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        all = false;
      }
    }
    return all;
  }

  private static boolean usableV2() {
    Path controllers = ROOT.resolve("cgroup.controllers");
    try {
      String c = Files.isRegularFile(controllers) ? Files.readString(controllers) : "";
      return c.contains("memory") && c.contains("pids") && writable(ROOT);
    } catch (IOException e) {
      return false;
    }
  }

  private static void enableControllers(Path parent) {
    try {
      Files.writeString(parent.resolve("cgroup.subtree_control"), "+memory +pids");
    } catch (IOException e) {
      // already enabled, or the next write fails and the cgroup is dropped
    }
  }

  private static boolean writable(Path dir) {
    return Files.isDirectory(dir) && Files.isWritable(dir.resolve("cgroup.procs"));
  }

  private static void write(Path file, long value) throws IOException {
    if (Files.exists(file)) {
      Files.writeString(file, Long.toString(value));
    }
  }

  private static long counter(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        String[] kv = line.strip().split("\\s+");
        if (kv.length == 2 && kv[0].equals(key)) {
          return Long.parseLong(kv[1]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not there
    }
    return 0;
  }
}
