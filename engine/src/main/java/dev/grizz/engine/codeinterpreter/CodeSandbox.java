package dev.grizz.engine.codeinterpreter;

import dev.grizz.engine.config.SettingException;
import dev.grizz.engine.sandbox.BubblewrapBackend;
import dev.grizz.engine.sandbox.SandboxBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The sandbox backend this engine runs code in, chosen once at start-up. {@code auto} takes the
 * first that runs here, in the order measured best (bench/RESULTS.md, "sandbox"): bubblewrap
 * (kernel namespaces and seccomp; ~1 ms calls, ~7 MiB a session), then gVisor (a user-space kernel;
 * ~3 ms calls, ~84 MiB a session), then the KVM micro-VM (needs hardware KVM). A backend named
 * explicitly that cannot run here stops the start-up with the reason; with none, code execution is
 * off and the engine says so.
 */
@Component
public class CodeSandbox implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(CodeSandbox.class);

  private final SandboxSettings settings;
  private @Nullable SandboxBackend backend;
  private @Nullable String description;

  CodeSandbox(SandboxSettings settings) {
    this.settings = settings;
  }

  /**
   * Chooses the backend, once, on first use (the start-up line asks at once when the engine is
   * ready): probing a backend starts a sandbox, which an engine that stops on a configuration error
   * before it is ready should not pay for.
   */
  private synchronized void choose() {
    if (description != null) {
      return;
    }
    Map<String, Supplier<SandboxBackend>> known = new LinkedHashMap<>();
    known.put(BubblewrapBackend.NAME, BubblewrapBackend::new);
    known.put("gvisor", dev.grizz.engine.sandbox.gvisor.GvisorBackend::new);
    known.put(
        "microvm",
        () ->
            new dev.grizz.engine.sandbox.microvm.MicroVmBackend(
                dev.grizz.engine.sandbox.microvm.MicroVmConfig.defaults(settings.microvmAccel())));
    SandboxBackend chosen = null;
    String why;
    if (settings.backend().equals(SandboxSettings.NONE)) {
      why = "off (grizz.sandbox.backend=none)";
    } else if (settings.backend().equals(SandboxSettings.AUTO)) {
      StringBuilder reasons = new StringBuilder();
      for (Map.Entry<String, Supplier<SandboxBackend>> candidate : known.entrySet()) {
        SandboxBackend tried = candidate.getValue().get();
        String unavailable = tried.unavailableReason();
        if (unavailable == null) {
          chosen = tried;
          break;
        }
        tried.close();
        reasons.append(candidate.getKey()).append(": ").append(unavailable).append("; ");
      }
      why = chosen == null ? "off, no backend runs here (" + reasons.toString().strip() + ")" : "";
    } else {
      Supplier<SandboxBackend> named = known.get(settings.backend());
      if (named == null) {
        throw new SettingException(
            "grizz.sandbox.backend",
            "'"
                + settings.backend()
                + "' is not built into this engine; use auto, none or one of "
                + known.keySet());
      }
      chosen = named.get();
      String unavailable = chosen.unavailableReason();
      if (unavailable != null) {
        chosen.close();
        throw new SettingException(
            "grizz.sandbox.backend",
            "'" + settings.backend() + "' cannot run here: " + unavailable);
      }
      why = "";
    }
    this.backend = chosen;
    this.description = chosen == null ? why : chosen.description();
    // Said in the start-up line (StartupSummary); nothing is printed before a configuration error.
    log.debug("code sandbox: {}", description);
  }

  /** The backend, when code execution is on. */
  public Optional<SandboxBackend> backend() {
    choose();
    return Optional.ofNullable(backend);
  }

  /** The backend's name, or why there is none (for the start-up line). */
  public String description() {
    choose();
    return java.util.Objects.requireNonNull(description);
  }

  @Override
  public synchronized void destroy() {
    if (backend != null) {
      backend.close();
    }
  }
}
