package dev.grizz.engine.sandbox.gvisor;

import dev.grizz.engine.sandbox.KernelSession;
import dev.grizz.engine.sandbox.SandboxBackend;
import dev.grizz.engine.sandbox.SandboxException;
import dev.grizz.engine.sandbox.SandboxLimits;
import dev.grizz.engine.sandbox.SandboxSession;
import dev.grizz.engine.sandbox.SessionSpec;
import dev.grizz.engine.sandbox.microvm.MicroVmShape;
import dev.grizz.engine.sandbox.microvm.WarmPool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Sessions as gVisor sandboxes ({@code runsc}, ptrace platform): the sandboxed Python talks to
 * gVisor's Sentry, a kernel in user space, never to the host's kernel directly. See {@link
 * GvisorContainer} for what each sandbox may do.
 */
public final class GvisorBackend implements SandboxBackend {

  private static final AtomicLong SEQ = new AtomicLong();

  private final GvisorConfig config;
  private final MicroVmShape poolShape;
  private final WarmPool<GvisorContainer> pool;
  private final Set<GvisorContainer> running = ConcurrentHashMap.newKeySet();
  private final String instance = Long.toString(ProcessHandle.current().pid(), 36);

  public GvisorBackend() {
    this(GvisorConfig.defaults());
  }

  public GvisorBackend(GvisorConfig config) {
    this.config = config;
    this.poolShape = MicroVmShape.of(config.poolLimits());
    this.pool =
        new WarmPool<>(
            "gvisor",
            config.poolSize(),
            () -> launch(config.poolLimits(), "pool"),
            GvisorContainer::alive);
    if (unavailableReason() == null) {
      removeOrphans();
      pool.fill();
    }
  }

  /**
   * Deletes sandboxes left by an engine that died without closing them (ids carry the engine's
   * pid): their runsc sandbox and gofer would otherwise run on, holding memory.
   */
  private void removeOrphans() {
    if (!Files.isDirectory(config.stateDir())) {
      return;
    }
    try {
      Process list =
          new ProcessBuilder(
                  config.runsc().toString(), "--root=" + config.stateDir(), "list", "-quiet")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String ids = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      list.waitFor();
      for (String id : ids.split("\\s+")) {
        String[] parts = id.split("-");
        if (parts.length < 3 || !parts[0].equals("grizz")) {
          continue;
        }
        long owner;
        try {
          owner = Long.parseLong(parts[1], 36);
        } catch (NumberFormatException e) {
          continue;
        }
        if (ProcessHandle.of(owner).isEmpty()) {
          GvisorContainer.deleteContainer(config, id);
        }
      }
    } catch (IOException e) {
      // nothing listed, nothing removed: the next start tries again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String name() {
    return "gvisor";
  }

  @Override
  public @Nullable String unavailableReason() {
    if (!Files.isExecutable(config.runsc())) {
      return "gVisor is not installed: no " + config.runsc() + " (apt-get install runsc)";
    }
    if (!Files.isDirectory(config.rootTree().resolve("usr/bin"))) {
      return "no sandbox root at "
          + config.rootTree()
          + ": build it with `sudo sandbox/vm/build.sh` (it serves the micro-VM and gVisor)";
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return "gVisor sandboxes need the engine to run as root here (runsc run with cgroups)";
    }
    return null;
  }

  @Override
  public SandboxSession start(SessionSpec spec) throws SandboxException {
    String reason = unavailableReason();
    if (reason != null) {
      throw new SandboxException("the gvisor sandbox is unavailable: " + reason);
    }
    GvisorContainer container =
        MicroVmShape.of(spec.limits()).equals(poolShape) ? pool.take() : null;
    if (container == null) {
      container = launch(spec.limits(), spec.id());
    }
    GvisorContainer c = container;
    running.add(c);
    KernelSession.Host host =
        new KernelSession.Host() {
          @Override
          public void kill() {
            c.close();
            running.remove(c);
          }

          @Override
          public @Nullable String deathReason() {
            String errors = c.errors();
            return "the gVisor sandbox ended"
                + (c.process().isAlive() ? "" : " (exit " + c.process().exitValue() + ")")
                + (errors == null ? "" : ": " + errors);
          }
        };
    return KernelSession.open(
        spec.id(),
        spec.limits(),
        c.process().getInputStream(),
        c.process().getOutputStream(),
        host,
        config.startTimeout());
  }

  private GvisorContainer launch(SandboxLimits limits, String purpose) throws SandboxException {
    try {
      Files.createDirectories(config.stateDir());
    } catch (IOException e) {
      throw new SandboxException("cannot create runsc's state directory: " + e.getMessage(), e);
    }
    String id = "grizz-" + instance + "-" + SEQ.incrementAndGet() + "-" + purpose;
    return GvisorContainer.start(config, limits, id.length() > 120 ? id.substring(0, 120) : id);
  }

  /** Sessions started and not yet closed (pooled sandboxes not counted). */
  public int running() {
    running.removeIf(c -> !c.alive());
    return running.size();
  }

  /** Pooled sandboxes ready now. */
  public int pooled() {
    return pool.ready();
  }

  @Override
  public void close() {
    pool.close();
    for (GvisorContainer c : running) {
      c.close();
    }
    running.clear();
  }
}
