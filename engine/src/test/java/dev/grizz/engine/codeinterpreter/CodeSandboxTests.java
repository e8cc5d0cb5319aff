package dev.grizz.engine.codeinterpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.config.SettingException;
import dev.grizz.engine.sandbox.microvm.MicroVmAccel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CodeSandboxTests {

  private static SandboxSettings settings(String backend) {
    return new SandboxSettings(
        backend,
        Duration.ofMinutes(20),
        3,
        32,
        3600,
        512,
        Duration.ofSeconds(60),
        MicroVmAccel.KVM);
  }

  @Test
  void noneTurnsCodeExecutionOffAndSaysSo() {
    CodeSandbox sandbox = new CodeSandbox(settings("none"));
    assertThat(sandbox.backend()).isEmpty();
    assertThat(sandbox.description()).isEqualTo("off (grizz.sandbox.backend=none)");
  }

  @Test
  void autoTakesABackendThatRunsOrSaysWhyNone() {
    CodeSandbox sandbox = new CodeSandbox(settings("auto"));
    try {
      if (sandbox.backend().isPresent()) {
        assertThat(sandbox.description()).isEqualTo(sandbox.backend().get().name());
        assertThat(sandbox.backend().get().unavailableReason()).isNull();
      } else {
        assertThat(sandbox.description()).startsWith("off, no backend runs here (bubblewrap: ");
      }
    } finally {
      sandbox.destroy();
    }
  }

  @Test
  void anUnknownBackendIsAConfigurationError() {
    assertThatThrownBy(() -> settings("docker"))
        .isInstanceOf(SettingException.class)
        .hasMessageContaining("grizz.sandbox.backend");
  }
}
