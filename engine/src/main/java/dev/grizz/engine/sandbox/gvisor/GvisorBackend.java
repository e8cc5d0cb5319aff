package dev.grizz.engine.sandbox.gvisor;

import dev.grizz.engine.sandbox.SandboxException;
import dev.grizz.engine.sandbox.SandboxLimits;
import dev.grizz.engine.sandbox.pool.PooledBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Sessions as gVisor sandboxes ({@code runsc}, ptrace platform): the sandboxed Python talks to
 * gVisor's Sentry, a kernel in user space, never to the host's kernel directly. See {@link
 * GvisorContainer} for what each sandbox may do.
 */
public final class GvisorBackend extends PooledBackend<GvisorContainer> {

  private static final AtomicLong SEQ = new AtomicLong();

  private final GvisorConfig config;
  private final String instance = Long.toString(ProcessHandle.current().pid(), 36);

  public GvisorBackend() {
    this(GvisorConfig.defaults());
  }

  public GvisorBackend(GvisorConfig config) {
    super("gvisor", config.poolSize(), config.poolLimits(), config.startTimeout());
    this.config = config;
    if (unavailableReason() == null) {
      removeOrphans();
      fillPool();
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
  protected GvisorContainer launch(SandboxLimits limits, String purpose) throws SandboxException {
    try {
      Files.createDirectories(config.stateDir());
    } catch (IOException e) {
      throw new SandboxException("cannot create runsc's state directory: " + e.getMessage(), e);
    }
    String id = "grizz-" + instance + "-" + SEQ.incrementAndGet() + "-" + purpose;
    return GvisorContainer.start(config, limits, id.length() > 120 ? id.substring(0, 120) : id);
  }
}
