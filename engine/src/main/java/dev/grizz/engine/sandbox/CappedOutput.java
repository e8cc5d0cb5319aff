package dev.grizz.engine.sandbox;

import dev.grizz.engine.sandbox.SandboxSession.OutputListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A call's output as kept: at most {@code cap} UTF-8 bytes over both streams, then a note. */
final class CappedOutput {
  private final int cap;
  private final OutputListener listener;
  private final StringBuilder stdout = new StringBuilder();
  private final StringBuilder stderr = new StringBuilder();
  private int bytes;
  boolean truncated;

  CappedOutput(int cap, OutputListener listener) {
    this.cap = cap;
    this.listener = listener;
  }

  void add(ExecResult.Stream stream, String text) {
    if (truncated || text.isEmpty()) {
      truncated |= !text.isEmpty() && bytes >= cap;
      return;
    }
    String kept = SandboxFiles.cutUtf8(text, cap - bytes);
    if (kept.length() < text.length()) {
      truncated = true;
    }
    bytes += kept.getBytes(StandardCharsets.UTF_8).length;
    (stream == ExecResult.Stream.STDERR ? stderr : stdout).append(kept);
    if (!kept.isEmpty()) {
      listener.output(stream, kept);
    }
  }

  ExecResult result(
      ExecResult.Status status, @Nullable String error, List<SandboxFile> files, Duration took) {
    if (truncated) {
      String note = "\n[output cut: more than " + cap + " bytes; the rest was dropped]\n";
      stdout.append(note);
      listener.output(ExecResult.Stream.STDOUT, note);
    }
    return new ExecResult(
        status, stdout.toString(), stderr.toString(), error, truncated, files, took);
  }
}
