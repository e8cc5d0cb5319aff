package dev.grizz.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.sandbox.ExecResult.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link SandboxBackend} must contain, run against any of them: a subclass supplies
 * {@link #backend()}. Each attack runs in its own session and must end as a status (never an
 * exception here); afterwards a witness session started first must still work, and so must the JVM
 * (it can start processes, its listening socket is untouched). The limits and functional cases come
 * from {@link SandboxLimitsContract} and {@link SandboxFunctionsContract}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SandboxIsolationContract extends SandboxLimitsContract {

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
}
