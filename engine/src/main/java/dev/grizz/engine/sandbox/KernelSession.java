package dev.grizz.engine.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A {@link SandboxSession} over any byte stream that reaches a {@code kernel.py} (see {@link
 * KernelProtocol}): a process's pipes for bubblewrap, a virtio console for a micro-VM. The backend
 * isolates and starts the sandbox; this class speaks to it and enforces, from the engine's side,
 * what a sandboxed kernel could ignore: the output cap, a wall deadline per call (the kernel's own
 * deadline plus {@link #GRACE}, after which the {@link Host} kills the sandbox) and one call at a
 * time. The end of the stream means the sandbox died: the call in progress ends {@code KILLED} with
 * the host's reason, and later calls throw.
 */
public final class KernelSession implements SandboxSession {

  /** How long past a call's wall limit the engine waits for the kernel before killing it. */
  public static final Duration GRACE = Duration.ofSeconds(5);

  /** The deadline of a put or list. */
  private static final Duration FILE_OP_TIMEOUT = Duration.ofSeconds(30);

  /** What the backend supplies: how to stop the sandbox, and why it stopped. */
  public interface Host {
    /** Stops the sandbox and frees what it held; idempotent, called from any thread. */
    void kill();

    /**
     * Why the sandbox ended, in plain words fit for the model ("the session ran out of memory
     * (limit 512 MiB)"), when the backend can tell; null otherwise. Called after the stream ended.
     */
    default @Nullable String deathReason() {
      return null;
    }
  }

  private final String id;
  private final SandboxLimits limits;
  private final OutputStream out;
  private final Host host;

  private final KernelFrames frames;
  private final ReentrantLock calls = new ReentrantLock();
  private long lastId;
  private volatile @Nullable String dead;

  /**
   * Wraps a started sandbox whose kernel has not been sent yet; use {@link #open} to send it and
   * wait for it to be ready.
   *
   * @param id the session's id
   * @param limits the limits this class enforces (output, wall time) and passes to the kernel
   * @param fromKernel the kernel's output (the process's stdout)
   * @param toKernel the kernel's input (the process's stdin)
   * @param host stops the sandbox and tells why it died
   */
  public KernelSession(
      String id, SandboxLimits limits, InputStream fromKernel, OutputStream toKernel, Host host) {
    this.id = id;
    this.limits = limits;
    this.out = toKernel;
    this.host = host;
    this.frames = new KernelFrames(fromKernel, host::kill);
  }

  /**
   * Sends the kernel, waits up to {@code timeout} for it to be ready and starts reading its frames;
   * kills the sandbox and throws when it does not come up.
   */
  public static KernelSession open(
      String id,
      SandboxLimits limits,
      InputStream fromKernel,
      OutputStream toKernel,
      Host host,
      Duration timeout)
      throws SandboxException {
    KernelSession session = new KernelSession(id, limits, fromKernel, toKernel, host);
    session.handshake(timeout);
    return session;
  }

  private void handshake(Duration timeout) throws SandboxException {
    try {
      out.write(KernelProtocol.kernelLine());
      out.flush();
      frames.start("sandbox-" + id);
      JsonNode ready = frames.next(System.nanoTime() + timeout.toNanos());
      if (ready == null || !"ready".equals(ready.path("type").asString(""))) {
        throw new SandboxException(
            "the sandbox did not start: " + (ready == null ? deathReason() : "no ready frame"));
      }
    } catch (IOException | SandboxException e) {
      close();
      throw e instanceof SandboxException s
          ? s
          : new SandboxException("the sandbox did not start: " + deathReason(), e);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public ExecResult exec(String code, OutputListener output) throws SandboxException {
    calls.lock();
    try {
      long call = send("exec", execFields(code));
      long started = System.nanoTime();
      long deadline = started + limits.wallPerCall().plus(GRACE).toNanos();
      CappedOutput kept = new CappedOutput(limits.maxOutputBytes(), output);
      while (true) {
        JsonNode frame = frames.next(deadline);
        if (frame == null) {
          boolean late = !frames.ended();
          if (late) {
            dead =
                "the call passed its wall-clock limit ("
                    + limits.wallPerCall().toSeconds()
                    + " s) and did not stop; the session was stopped";
            host.kill();
          }
          return kept.result(ExecResult.Status.KILLED, deathReason(), List.of(), elapsed(started));
        }
        if (frame.path("id").asLong(-1) != call) {
          continue;
        }
        String type = frame.path("type").asString("");
        if (type.equals("stream")) {
          boolean err = frame.path("name").asString("").equals("stderr");
          kept.add(
              err ? ExecResult.Stream.STDERR : ExecResult.Stream.STDOUT,
              frame.path("text").asString(""));
        } else if (type.equals("result")) {
          if (frame.path("truncated").asBoolean(false)) {
            kept.truncated = true;
          }
          ExecResult.Status status =
              switch (frame.path("status").asString("")) {
                case "ok" -> ExecResult.Status.OK;
                case "timeout" -> ExecResult.Status.TIMEOUT;
                default -> ExecResult.Status.ERROR;
              };
          String error = frame.path("error").isString() ? frame.path("error").asString() : null;
          return kept.result(
              status,
              status == ExecResult.Status.OK ? null : error,
              SandboxFiles.fromFrame(frame.path("files"), true),
              Duration.ofMillis(Math.max(0, frame.path("took_ms").asLong(0))));
        }
      }
    } finally {
      frames.expect(-1);
      calls.unlock();
    }
  }

  @Override
  public void putFile(String name, byte[] content) throws SandboxException {
    if (!SandboxFiles.plainName(name)) {
      throw new SandboxException("a file name must be a plain name (no '/', '..' or NUL)");
    }
    if (content.length > limits.maxFileBytes()) {
      throw new SandboxException(
          "the file is larger than the session's file limit (" + limits.maxFileBytes() + " bytes)");
    }
    JsonNode result =
        fileOp("put", "name", name, "content_b64", Base64.getEncoder().encodeToString(content));
    if (!"ok".equals(result.path("status").asString(""))) {
      throw new SandboxException(result.path("error").asString("could not write " + name));
    }
  }

  @Override
  public List<SandboxFile> listFiles() throws SandboxException {
    return SandboxFiles.fromFrame(fileOp("list").path("files"), false);
  }

  private JsonNode fileOp(String op, Object... fields) throws SandboxException {
    calls.lock();
    try {
      long call = send(op, fields);
      long deadline = System.nanoTime() + FILE_OP_TIMEOUT.toNanos();
      while (true) {
        JsonNode frame = frames.next(deadline);
        if (frame == null) {
          if (!frames.ended()) {
            dead = "the sandbox did not answer a " + op + " in time; the session was stopped";
            host.kill();
          }
          throw new SandboxException(deathReason());
        }
        if (frame.path("id").asLong(-1) == call
            && "result".equals(frame.path("type").asString(""))) {
          return frame;
        }
      }
    } finally {
      frames.expect(-1);
      calls.unlock();
    }
  }

  /** Sends a request under the call lock; returns its id. */
  private long send(String op, Object... fields) throws SandboxException {
    if (!alive()) {
      throw new SandboxException(deathReason());
    }
    long call = ++lastId;
    frames.expect(call);
    try {
      out.write(KernelProtocol.encode(KernelProtocol.request(op, call, fields)));
      out.flush();
    } catch (IOException e) {
      throw new SandboxException(deathReason(), e);
    }
    return call;
  }

  private String deathReason() {
    String reason =
        dead != null ? dead : frames.broken() != null ? frames.broken() : frames.fatal();
    if (reason != null) {
      return reason;
    }
    String told = host.deathReason();
    return told != null ? told : "the session has ended (its process exited)";
  }

  @Override
  public boolean alive() {
    return dead == null && !frames.ended();
  }

  @Override
  public void close() {
    if (dead == null) {
      dead = "the session was closed";
    }
    host.kill();
    try {
      out.close();
    } catch (IOException e) {
      // already gone
    }
  }

  private Object[] execFields(String code) {
    long fileCap = Math.min(KernelProtocol.FILE_CAP, limits.maxFileBytes());
    return new Object[] {
      "code",
      code,
      "wall_s",
      seconds(limits.wallPerCall()),
      "cpu_s",
      seconds(limits.cpuPerCall()),
      "max_output",
      limits.maxOutputBytes(),
      "file_cap",
      fileCap,
      "files_cap",
      KernelProtocol.FILES_CAP
    };
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
