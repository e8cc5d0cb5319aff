package dev.grizz.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.sandbox.ExecResult.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * KernelSession against a scripted kernel in this JVM (no Python, no sandbox): what the engine
 * enforces whatever the other end does. Any transport (pipes, a virtio console) gets the same.
 */
class KernelSessionTests {

  private static final SandboxLimits LIMITS =
      new SandboxLimits(
          1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(1), 8, 1 << 20, 1 << 20, 100);

  private final AtomicInteger kills = new AtomicInteger();

  /** A kernel that answers each request line with {@code answer}'s frames. */
  private KernelSession session(BiConsumer<JsonNode, OutputStream> answer) throws Exception {
    PipedInputStream toKernel = new PipedInputStream(1 << 20);
    PipedOutputStream engineOut = new PipedOutputStream(toKernel);
    PipedInputStream fromKernel = new PipedInputStream(1 << 20);
    PipedOutputStream kernelOut = new PipedOutputStream(fromKernel);
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                var lines = new KernelProtocol.LineReader(toKernel, 1 << 20);
                lines.next(); // the kernel's source
                send(kernelOut, Map.of("type", "ready"));
                byte[] line;
                while ((line = lines.next()) != null) {
                  answer.accept(KernelProtocol.decode(line), kernelOut);
                }
              } catch (Exception e) {
                // the engine closed its end
              }
            });
    KernelSession.Host host =
        new KernelSession.Host() {
          @Override
          public void kill() {
            kills.incrementAndGet();
            try {
              kernelOut.close();
            } catch (IOException e) {
              // closed
            }
          }

          @Override
          public String deathReason() {
            return "the test kernel ended";
          }
        };
    return KernelSession.open("t", LIMITS, fromKernel, engineOut, host, Duration.ofSeconds(5));
  }

  private static void send(OutputStream out, Map<String, ?> frame) {
    try {
      out.write(KernelProtocol.encode(frame));
      out.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, Object> result(JsonNode req, String status) {
    return Map.of(
        "type",
        "result",
        "id",
        req.path("id").asLong(),
        "status",
        status,
        "files",
        java.util.List.of(),
        "took_ms",
        1);
  }

  @Test
  void outputIsCappedWithANoteAndForeignFramesAreIgnored() throws Exception {
    try (KernelSession s =
        session(
            (req, out) -> {
              long id = req.path("id").asLong();
              send(out, Map.of("type", "stream", "id", id + 7, "name", "stdout", "text", "forged"));
              send(out, Map.of("type", "result", "id", id + 7, "status", "ok"));
              for (int i = 0; i < 10; i++) {
                send(
                    out,
                    Map.of("type", "stream", "id", id, "name", "stdout", "text", "0123456789ab"));
              }
              send(out, result(req, "ok"));
            })) {
      StringBuilder streamed = new StringBuilder();
      ExecResult r = s.exec("x", (stream, text) -> streamed.append(text));
      assertThat(r.status()).isEqualTo(Status.OK);
      assertThat(r.truncated()).isTrue();
      assertThat(r.stdout())
          .startsWith("0123456789ab".repeat(8) + "0123")
          .contains("output cut")
          .doesNotContain("forged");
      assertThat(streamed.toString()).isEqualTo(r.stdout());
    }
  }

  @Test
  void aKernelThatDoesNotAnswerIsKilledAfterTheDeadline() throws Exception {
    try (KernelSession s = session((req, out) -> {})) {
      ExecResult r = s.exec("while True: pass", SandboxSession.OutputListener.NONE);
      assertThat(r.status()).isEqualTo(Status.KILLED);
      assertThat(r.error()).contains("wall-clock limit (1 s)");
      assertThat(kills.get()).isPositive();
      assertThat(s.alive()).isFalse();
      assertThatThrownBy(() -> s.exec("1", SandboxSession.OutputListener.NONE))
          .isInstanceOf(SandboxException.class);
    }
  }

  @Test
  void theEndOfTheStreamIsAKillWithTheHostsReason() throws Exception {
    try (KernelSession s =
        session(
            (req, out) -> {
              try {
                out.close();
              } catch (IOException e) {
                // closed
              }
            })) {
      ExecResult r = s.exec("import os; os._exit(1)", SandboxSession.OutputListener.NONE);
      assertThat(r.status()).isEqualTo(Status.KILLED);
      assertThat(r.error()).isEqualTo("the test kernel ended");
    }
  }

  @Test
  void anOverlongFrameStopsTheSession() throws Exception {
    try (KernelSession s =
        session(
            (req, out) -> {
              try {
                out.write(new byte[KernelProtocol.MAX_LINE_BYTES + 10]);
                out.flush();
              } catch (IOException e) {
                // the engine stopped reading
              }
            })) {
      ExecResult r = s.exec("x", SandboxSession.OutputListener.NONE);
      assertThat(r.status()).isEqualTo(Status.KILLED);
      assertThat(r.error()).contains("broke the protocol");
    }
  }

  @Test
  void linesAreReadWhateverTheChunking() throws Exception {
    byte[] data = "a\n\nbc\n".getBytes(StandardCharsets.UTF_8);
    var lines = new KernelProtocol.LineReader(new ByteArrayInputStream(data), 10);
    assertThat(new String(lines.next(), StandardCharsets.UTF_8)).isEqualTo("a");
    assertThat(lines.next()).isEmpty();
    assertThat(new String(lines.next(), StandardCharsets.UTF_8)).isEqualTo("bc");
    assertThat(lines.next()).isNull();
    var tooLong = new KernelProtocol.LineReader(new ByteArrayInputStream(new byte[50]), 10);
    assertThatThrownBy(tooLong::next).isInstanceOf(KernelProtocol.ProtocolException.class);
  }
}
