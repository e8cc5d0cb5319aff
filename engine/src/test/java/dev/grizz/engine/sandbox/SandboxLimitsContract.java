package dev.grizz.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.sandbox.ExecResult.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The limits part of the contract: what a session may use (processes, memory, CPU, wall time, disk,
 * output) is enforced, and passing a limit ends the call as a status, never as an exception here.
 */
public abstract class SandboxLimitsContract extends SandboxFunctionsContract {

  @Test
  void forkBombIsContained() throws Exception {
    ExecResult r = attackResult("import os\nwhile True:\n    os.fork()");
    assertThat(r.status()).isIn(Status.ERROR, Status.TIMEOUT, Status.KILLED);
  }

  @Test
  void memoryBombIsContained() throws Exception {
    ExecResult r = attackResult("x = []\nwhile True:\n    x.append(bytearray(16 << 20))");
    assertThat(r.status()).isIn(Status.ERROR, Status.KILLED);
  }

  @Test
  void memoryBombInManyProcessesIsContained() throws Exception {
    ExecResult r =
        attackResult(
            """
        import os, time
        for _ in range(6):
            if os.fork() == 0:
                x = bytearray(300 << 20)
                for i in range(0, len(x), 4096):
                    x[i] = 1
                time.sleep(30)
                os._exit(0)
        time.sleep(3)
        print('parent alive')
        """);
    assertThat(r.status()).isIn(Status.OK, Status.ERROR, Status.TIMEOUT, Status.KILLED);
  }

  @Test
  void cpuSpinTimesOutAndTheSessionLivesOn() throws Exception {
    try (SandboxSession s = backend().start(new SessionSpec("spin", limits()))) {
      ExecResult r = s.exec("y = 5\nwhile True:\n    pass", SandboxSession.OutputListener.NONE);
      assertThat(r.status()).isEqualTo(Status.TIMEOUT);
      assertThat(r.error()).isNotBlank();
      ExecResult after = s.exec("y + 1", SandboxSession.OutputListener.NONE);
      assertThat(after.status()).isEqualTo(Status.OK);
      assertThat(after.stdout().strip()).isEqualTo("6");
    }
  }

  @Test
  void codeLeftRunningBetweenCallsIsStoppedAtTheCpuLimit() throws Exception {
    try (SandboxSession s = backend().start(new SessionSpec("background", limits()))) {
      ExecResult r =
          s.exec(
              "import threading\n"
                  + "def spin():\n    while True:\n        pass\n"
                  + "threading.Thread(target=spin, daemon=True).start()\n"
                  + "print('started')",
              SandboxSession.OutputListener.NONE);
      assertThat(r.status()).isEqualTo(Status.OK);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (s.alive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(s.alive()).as("a session spinning in the background is stopped").isFalse();
      assertThatThrownBy(() -> s.exec("1", SandboxSession.OutputListener.NONE))
          .isInstanceOf(SandboxException.class)
          .hasMessageContaining("CPU time");
    }
  }

  @Test
  void codeThatIgnoresItsDeadlineIsKilled() throws Exception {
    try (SandboxSession s = backend().start(new SessionSpec("stubborn", limits()))) {
      ExecResult r =
          s.exec(
              """
          import signal
          for sig in (signal.SIGALRM, signal.SIGPROF, signal.SIGXCPU):
              signal.signal(sig, signal.SIG_IGN)
          import time
          while True:
              time.sleep(1)
          """,
              SandboxSession.OutputListener.NONE);
      assertThat(r.status()).isEqualTo(Status.KILLED);
      assertThat(r.error()).isNotBlank();
      assertThat(s.alive()).isFalse();
    }
  }

  @Test
  void diskFillIsContained() throws Exception {
    ExecResult r =
        attackResult(
            """
        import os
        try:
            with open('/mnt/data/one', 'wb') as f:
                while True:
                    f.write(b'x' * (1 << 20))
        except OSError as e:
            print('file limit', e.errno)
        for i in range(10_000):
            with open('/tmp/fill-%d' % i, 'wb') as f:
                for _ in range(4):
                    f.write(b'x' * (1 << 20))
        """);
    assertThat(r.status()).isIn(Status.ERROR, Status.KILLED);
    assertThat(r.stdout()).contains("file limit 27"); // EFBIG: one file stops at its limit
    if (r.status() == Status.ERROR) {
      assertThat(r.error()).contains("No space left on device");
    }
    for (SandboxFile f : r.files()) {
      assertThat(f.size()).isLessThanOrEqualTo(limits().maxFileBytes());
    }
  }

  @Test
  void hugeOutputIsCutWithANote() throws Exception {
    ExecResult r =
        attackResult("import sys\nfor _ in range(200):\n    sys.stdout.write('x' * 65536)");
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.truncated()).isTrue();
    assertThat(r.stdout().length() + r.stderr().length())
        .isLessThanOrEqualTo(limits().maxOutputBytes() + 200);
    assertThat(r.stdout()).contains("output cut");
  }
}
