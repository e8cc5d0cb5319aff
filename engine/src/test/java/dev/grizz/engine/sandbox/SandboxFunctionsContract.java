package dev.grizz.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.sandbox.ExecResult.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The base of the sandbox contract, run against any {@link SandboxBackend} (a subclass supplies
 * {@link #backend()}): what the code_interpreter tool relies on (state kept between calls, files in
 * and out, charts, pandas, output streamed in order before the result), and the witness: a session
 * started first that must still work after every case, as must the JVM (it starts processes, its
 * listening socket was never reached). A backend's test extends {@link SandboxIsolationContract},
 * which adds the limits ({@link SandboxLimitsContract}) and the attacks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SandboxFunctionsContract {

  /** The test JVM's canary variable (set by surefire); must never be seen inside a sandbox. */
  static final String SECRET_VARIABLE = "GRIZZ_SANDBOX_TEST_SECRET";

  private SandboxSession witness;

  /** A port the engine would listen on: no sandbox may reach it. */
  protected ServerSocket enginePort;

  private final AtomicInteger witnessCalls = new AtomicInteger();

  @BeforeAll
  void startWitness() throws Exception {
    witness = backend().start(new SessionSpec("witness", limits()));
    assertThat(witness.exec("w = 0", SandboxSession.OutputListener.NONE).status())
        .isEqualTo(Status.OK);
    enginePort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    enginePort.setSoTimeout(50);
  }

  @AfterAll
  void stopWitness() throws IOException {
    if (witness != null) {
      witness.close();
    }
    if (enginePort != null) {
      enginePort.close();
    }
  }

  /** After every case: the other session, the JVM and its socket are as they were. */
  @AfterEach
  void othersUnaffected() throws Exception {
    int n = witnessCalls.incrementAndGet();
    ExecResult r = witness.exec("w += 1\nw", SandboxSession.OutputListener.NONE);
    assertThat(r.status()).as("the witness session after the attack").isEqualTo(Status.OK);
    assertThat(r.stdout().strip()).isEqualTo(Integer.toString(n));
    Process p = new ProcessBuilder("/bin/true").start();
    assertThat(p.waitFor()).as("the JVM can still start processes").isZero();
    assertThat(enginePort.isClosed()).isFalse();
    try {
      enginePort.accept().close();
      throw new AssertionError("a sandbox reached the engine's port");
    } catch (SocketTimeoutException expected) {
      // nothing connected
    }
  }

  /** The backend under test, started once per test class and closed by the subclass. */
  protected abstract SandboxBackend backend();

  /** Small limits, so the time-limit cases stay short. */
  protected SandboxLimits limits() {
    return new SandboxLimits(
        512L << 20,
        Duration.ofSeconds(3),
        Duration.ofSeconds(4),
        64,
        32L << 20,
        64L << 20,
        64 << 10);
  }

  /**
   * The limits of the cases that import pandas or matplotlib: {@link #limits()}, unless a backend
   * is so slow that those imports alone take longer (the micro-VM under software emulation).
   */
  protected SandboxLimits importLimits() {
    return limits();
  }

  private ExecResult run(SandboxSession s, String code) throws SandboxException {
    return s.exec(code, SandboxSession.OutputListener.NONE);
  }

  @Test
  void stateLastsFromOneCallToTheNext() throws Exception {
    try (SandboxSession s = backend().start(new SessionSpec("state", limits()))) {
      assertThat(run(s, "x = 41\ndef f(v):\n    return v + 1").status()).isEqualTo(Status.OK);
      ExecResult r = run(s, "f(x)");
      assertThat(r.status()).isEqualTo(Status.OK);
      assertThat(r.stdout()).isEqualTo("42\n");
      ExecResult err = run(s, "1 / 0");
      assertThat(err.status()).isEqualTo(Status.ERROR);
      assertThat(err.error()).contains("ZeroDivisionError");
      assertThat(run(s, "x").stdout()).isEqualTo("41\n");
    }
  }

  @Test
  void filesPutAreReadableAndFilesWrittenComeBack() throws Exception {
    try (SandboxSession s = backend().start(new SessionSpec("files", limits()))) {
      s.putFile("in.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
      assertThat(s.listFiles())
          .extracting(SandboxFile::name, SandboxFile::size)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("in.csv", 8L));
      ExecResult r =
          run(
              s,
              """
          data = open('/mnt/data/in.csv').read()
          with open('/mnt/data/out.txt', 'w') as f:
              f.write(data.upper())
          import os
          os.makedirs('/mnt/data/sub', exist_ok=True)
          open('/mnt/data/sub/b.bin', 'wb').write(bytes(range(256)))
          len(data)
          """);
      assertThat(r.status()).isEqualTo(Status.OK);
      assertThat(r.stdout()).isEqualTo("8\n");
      assertThat(r.files()).extracting(SandboxFile::name).containsExactly("out.txt", "sub/b.bin");
      assertThat(new String(r.files().get(0).content(), StandardCharsets.UTF_8))
          .isEqualTo("A,B\n1,2\n");
      assertThat(r.files().get(1).content()).hasSize(256);
      assertThat(run(s, "print(1)").files()).as("unchanged files are not sent again").isEmpty();
      for (String bad : List.of("../x", "a/b", "..", "", "a\0b")) {
        assertThatThrownBy(() -> s.putFile(bad, new byte[1])).isInstanceOf(SandboxException.class);
      }
    }
  }

  @Test
  void aMatplotlibChartComesBackAsAPng() throws Exception {
    try (SandboxSession s = backend().start(new SessionSpec("chart", importLimits()))) {
      ExecResult r =
          run(
              s,
              """
          import matplotlib
          import matplotlib.pyplot as plt
          plt.plot([1, 2, 3], [1, 4, 9])
          plt.savefig('/mnt/data/chart.png')
          plt.close('all')
          plt.bar(['a', 'b'], [3, 5])
          matplotlib.get_backend()
          """);
      assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
      assertThat(r.stdout()).containsIgnoringCase("agg");
      assertThat(r.files())
          .hasSize(2)
          .allSatisfy(
              f -> {
                assertThat(f.name()).endsWith(".png");
                assertThat(Arrays.copyOf(f.content(), 4)).containsExactly(0x89, 'P', 'N', 'G');
              });
    }
  }

  @Test
  void pandasImports() throws Exception {
    try (SandboxSession s = backend().start(new SessionSpec("pandas", importLimits()))) {
      ExecResult r = run(s, "import pandas as pd\npd.DataFrame({'a': [1, 2]})['a'].sum()");
      assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
      assertThat(r.stdout()).isEqualTo("3\n");
    }
  }

  @Test
  void outputStreamsInOrderBeforeTheResult() throws Exception {
    try (SandboxSession s = backend().start(new SessionSpec("stream", limits()))) {
      List<String> seen = new CopyOnWriteArrayList<>();
      long[] firstAt = {0};
      ExecResult r =
          s.exec(
              """
          import sys, time
          for i in range(5):
              print('line', i)
              print('err', i, file=sys.stderr)
              time.sleep(0.1)
          """,
              (stream, text) -> {
                if (firstAt[0] == 0) {
                  firstAt[0] = System.nanoTime();
                }
                seen.add(stream + ":" + text);
              });
      long returned = System.nanoTime();
      assertThat(r.status()).isEqualTo(Status.OK);
      assertThat(r.stdout()).isEqualTo("line 0\nline 1\nline 2\nline 3\nline 4\n");
      assertThat(r.stderr()).isEqualTo("err 0\nerr 1\nerr 2\nerr 3\nerr 4\n");
      String out =
          String.join(
              "",
              seen.stream().filter(t -> t.startsWith("STDOUT:")).map(t -> t.substring(7)).toList());
      assertThat(out).isEqualTo(r.stdout());
      assertThat(returned - firstAt[0])
          .as("the first line came while the cell ran")
          .isGreaterThan(Duration.ofMillis(200).toNanos());
    }
  }

  @Test
  void oddNamesAndTextDoNotBreakTheSession() throws Exception {
    try (SandboxSession s = backend().start(new SessionSpec("odd", limits()))) {
      ExecResult r =
          run(
              s,
              "open(b'/mnt/data/\\xff.txt', 'wb').write(b'x')\nprint('\\u00e9')\n"
                  + "raise ValueError('\\udcff')");
      assertThat(r.status()).isEqualTo(Status.ERROR);
      assertThat(r.error()).contains("ValueError");
      assertThat(r.files()).hasSize(1);
      assertThat(run(s, "print('\\u00e9 ok')").stdout()).isEqualTo("\u00e9 ok\n");
    }
  }

  @Test
  void aClosedSessionRefusesCalls() throws Exception {
    SandboxSession s = backend().start(new SessionSpec("closed", limits()));
    assertThat(s.alive()).isTrue();
    s.close();
    s.close();
    assertThat(s.alive()).isFalse();
    assertThatThrownBy(() -> s.exec("1", SandboxSession.OutputListener.NONE))
        .isInstanceOf(SandboxException.class);
  }

  /** Runs code in a fresh session; the session is closed after. */
  protected ExecResult attackResult(String code) throws Exception {
    try (SandboxSession s = backend().start(new SessionSpec("attack", limits()))) {
      return s.exec(code, SandboxSession.OutputListener.NONE);
    }
  }

  /** Everything the attack printed and reported. */
  protected String attack(String code) throws Exception {
    ExecResult r = attackResult(code);
    return r.stdout() + "\n" + r.stderr() + "\n" + r.error();
  }

  static List<String> secrets() {
    List<String> out = new ArrayList<>();
    String canary = System.getenv(SECRET_VARIABLE);
    if (canary != null) {
      out.add(canary);
    }
    for (String key : List.of("JAVA_HOME", "GRIZZ_TEST_DB_URL", "MAVEN_HOME", "HOSTNAME")) {
      String v = System.getenv(key);
      if (v != null && v.length() >= 8) {
        out.add(v);
      }
    }
    return out;
  }

  static void assertNoHostContent(String out, Path hostFile) throws IOException {
    if (!Files.isReadable(hostFile)) {
      return;
    }
    for (String line : Files.readAllLines(hostFile)) {
      if (line.strip().length() >= 12) {
        assertThat(out).doesNotContain(line.strip());
      }
    }
  }

  static String py(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  static Duration seconds(int s) {
    return Duration.ofSeconds(s);
  }
}
