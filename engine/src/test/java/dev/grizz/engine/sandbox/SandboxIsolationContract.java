package dev.grizz.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.sandbox.ExecResult.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link SandboxBackend} must contain, run against any of them: a subclass supplies
 * {@link #backend()}. Each attack runs in its own session and must end as a status (never an
 * exception here); afterwards a witness session started first must still work, and so must the JVM
 * (it can start processes, its listening socket is untouched). The functional cases at the end
 * ({@link SandboxFunctionsContract}) are what the code_interpreter tool relies on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SandboxIsolationContract extends SandboxFunctionsContract {

  /** The test JVM's canary variable (set by surefire); must never be seen inside a sandbox. */
  static final String SECRET_VARIABLE = "GRIZZ_SANDBOX_TEST_SECRET";

  private SandboxSession witness;
  private ServerSocket enginePort;
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

  @Test
  void cannotReadShadow() throws Exception {
    String out =
        attack(
            "try:\n    print(open('/etc/shadow').read())\n"
                + "except Exception as e:\n    print('blocked', type(e).__name__)");
    assertNoHostContent(out, Path.of("/etc/shadow"));
  }

  @Test
  void cannotSeeTheEnginesEnvironment() throws Exception {
    String out =
        attack(
            """
        import os, glob
        print(dict(os.environ))
        for f in glob.glob('/proc/*/environ'):
            try:
                print(f, open(f, 'rb').read())
            except Exception as e:
                print(f, 'blocked', type(e).__name__)
        """);
    for (String secret : secrets()) {
      assertThat(out).doesNotContain(secret);
    }
  }

  @Test
  void cannotReadTheRepositoryOrHome() throws Exception {
    Path pom = Path.of(System.getProperty("user.dir"), "pom.xml").toAbsolutePath();
    String out =
        attack(
            "import os\nfor p in ["
                + py(pom.toString())
                + ", "
                + py(pom.getParent() + "/src")
                + ", '/work', '/root', '/home']:\n"
                + "    try:\n        print(p, os.listdir(p) if os.path.isdir(p) else open(p).read())\n"
                + "    except Exception as e:\n        print(p, 'blocked', type(e).__name__)");
    if (Files.isRegularFile(pom)) {
      assertNoHostContent(out, pom);
    }
    assertThat(out).doesNotContain("'main'", "SandboxIsolationContract");
  }

  @Test
  void cannotReadAnotherSessionsFiles() throws Exception {
    try (SandboxSession other = backend().start(new SessionSpec("other", limits()))) {
      other.putFile("secret-other.txt", "canary-of-the-other-session".getBytes());
      String out =
          attack(
              """
          import os
          found = []
          for top in ['/mnt', '/tmp', '/proc', '/']:
              for root, dirs, files in os.walk(top, onerror=lambda e: None):
                  if root.startswith('/proc/') and root.count('/') > 3 or root.startswith('/usr'):
                      dirs[:] = []
                  if 'secret-other.txt' in files:
                      found.append(root)
          print('found', found)
          """);
      assertThat(out).contains("found []");
      assertThat(other.listFiles()).extracting(SandboxFile::name).contains("secret-other.txt");
    }
  }

  @Test
  void cannotReachTheNetwork() throws Exception {
    String out =
        attack(
            "import socket\nfor host, port in [('127.0.0.1', 5432), ('127.0.0.1', "
                + "6379), ('127.0.0.1', "
                + enginePort.getLocalPort()
                + "), ('8.8.8.8', 53), "
                + "('1.1.1.1', 443)]:\n    s = socket.socket()\n    s.settimeout(2)\n    try:\n"
                + "        s.connect((host, port))\n        print('CONNECTED', host, port)\n"
                + "    except Exception as e:\n        print('blocked', host, port, type(e).__name__)\n"
                + "try:\n    print('RESOLVED', socket.gethostbyname('example.com'))\n"
                + "except Exception as e:\n    print('no dns', type(e).__name__)");
    assertThat(out).doesNotContain("CONNECTED", "RESOLVED");
  }

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

  @Test
  void cannotSnoopOnHostProcesses() throws Exception {
    String out =
        attack(
            """
        import os
        pids = [p for p in os.listdir('/proc') if p.isdigit()]
        print('pids', len(pids))
        for p in pids:
            try:
                print(p, open('/proc/%s/cmdline' % p, 'rb').read())
            except Exception as e:
                print(p, 'blocked', type(e).__name__)
        """);
    assertThat(out).doesNotContain("surefire", "java", "postgres", "redis-server");
    assertThat(out).doesNotContain(Long.toString(ProcessHandle.current().pid()) + " b'");
  }

  @Test
  void cannotPtraceOrSignalTheHost() throws Exception {
    long jvm = ProcessHandle.current().pid();
    ExecResult r =
        attackResult(
            "import ctypes, os, signal\nlibc = ctypes.CDLL(None, use_errno=True)\n"
                + "for pid in (1, os.getppid(), "
                + jvm
                + "):\n"
                + "    print('ptrace', pid, libc.ptrace(16, pid, 0, 0), ctypes.get_errno())\n"
                + "for pid in ("
                + jvm
                + ", 1):\n    try:\n        os.kill(pid, signal.SIGKILL)\n"
                + "        print('signalled', pid)\n    except Exception as e:\n"
                + "        print('blocked', pid, type(e).__name__)\n"
                + "os.kill(-1, signal.SIGKILL)\nprint('still here')");
    assertThat(r.status()).isIn(Status.OK, Status.ERROR, Status.KILLED);
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }

  @Test
  void symlinksInDataNeverReturnHostContent() throws Exception {
    try (SandboxSession s = backend().start(new SessionSpec("links", limits()))) {
      ExecResult r =
          s.exec(
              """
          import os
          os.symlink('/etc/shadow', '/mnt/data/shadow')
          os.symlink('/etc/passwd', '/mnt/data/passwd')
          os.symlink('/', '/mnt/data/root')
          os.makedirs('/mnt/data/d', exist_ok=True)
          os.symlink('/etc', '/mnt/data/d/etc')
          try:
              os.link('/etc/passwd', '/mnt/data/hard')
          except Exception as e:
              print('no hard link', type(e).__name__)
          """,
              SandboxSession.OutputListener.NONE);
      List<SandboxFile> all = new ArrayList<>(r.files());
      all.addAll(s.listFiles());
      s.putFile("shadow", "replaced".getBytes());
      for (SandboxFile f : all) {
        assertThat(f.name()).doesNotContain("..");
        if (f.content() != null) {
          assertNoHostContent(new String(f.content()), Path.of("/etc/shadow"));
        }
      }
      assertThat(all).extracting(SandboxFile::name).doesNotContain("shadow", "passwd", "root");
      ExecResult check =
          s.exec("open('/mnt/data/shadow').read()", SandboxSession.OutputListener.NONE);
      assertThat(check.stdout()).contains("replaced");
    }
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
