package dev.grizz.engine.sandbox;

import dev.grizz.engine.sandbox.KernelProtocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

  private static final Object END = new Object();

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
  private final InputStream in;
  private final OutputStream out;
  private final Host host;

  /** Few frames wait: each may be {@link KernelProtocol#MAX_LINE_BYTES} long. */
  private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>(8);

  private final ReentrantLock calls = new ReentrantLock();
  private long lastId;
  private volatile long currentId = -1;
  private volatile @Nullable String dead;
  private volatile boolean ended;

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
    this.in = fromKernel;
    this.out = toKernel;
    this.host = host;
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
    Thread reader = Thread.ofPlatform().daemon().name("sandbox-" + id).unstarted(this::read);
    try {
      out.write(KernelProtocol.kernelLine());
      out.flush();
      reader.start();
      JsonNode ready = next(System.nanoTime() + timeout.toNanos());
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

  /** The reader thread: frames into the queue, others' frames dropped, END at the end. */
  private void read() {
    boolean readySeen = false;
    try {
      var lines = new KernelProtocol.LineReader(in, KernelProtocol.MAX_LINE_BYTES);
      byte[] line;
      while ((line = lines.next()) != null) {
        JsonNode frame = KernelProtocol.decode(line);
        boolean ready = !readySeen && "ready".equals(frame.path("type").asString(""));
        if (!ready && frame.path("id").asLong(-2) != currentId) {
          continue; // not for the call in progress: late, or made up by the code
        }
        readySeen |= ready;
        frames.put(frame);
      }
    } catch (ProtocolException e) {
      dead = "the sandbox broke the protocol (" + e.getMessage() + "); the session was stopped";
      host.kill();
    } catch (IOException | InterruptedException e) {
      // the stream closed: the sandbox is gone
    } finally {
      ended = true;
      frames.offer(END);
    }
  }

  /** The next frame before the deadline; null when the stream ended (or the deadline passed). */
  private @Nullable JsonNode next(long deadlineNanos) throws SandboxException {
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Object frame;
      try {
        frame = frames.poll(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SandboxException("interrupted while waiting for the sandbox");
      }
      if (frame == END || (frame == null && ended && frames.isEmpty())) {
        return null;
      }
      if (frame instanceof JsonNode node) {
        return node;
      }
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
      long call =
          send(
              "exec",
              "code",
              code,
              "wall_s",
              seconds(limits.wallPerCall()),
              "cpu_s",
              seconds(limits.cpuPerCall()),
              "max_output",
              limits.maxOutputBytes(),
              "file_cap",
              Math.min(KernelProtocol.FILE_CAP, limits.maxFileBytes()),
              "files_cap",
              KernelProtocol.FILES_CAP);
      long started = System.nanoTime();
      long deadline = started + limits.wallPerCall().plus(GRACE).toNanos();
      Output kept = new Output(limits.maxOutputBytes(), output);
      while (true) {
        JsonNode frame = next(deadline);
        if (frame == null) {
          boolean late = !ended;
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
              files(frame.path("files"), true),
              Duration.ofMillis(Math.max(0, frame.path("took_ms").asLong(0))));
        }
      }
    } finally {
      currentId = -1;
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
    return files(fileOp("list").path("files"), false);
  }

  private JsonNode fileOp(String op, Object... fields) throws SandboxException {
    calls.lock();
    try {
      long call = send(op, fields);
      long deadline = System.nanoTime() + FILE_OP_TIMEOUT.toNanos();
      while (true) {
        JsonNode frame = next(deadline);
        if (frame == null) {
          if (!ended) {
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
      currentId = -1;
      calls.unlock();
    }
  }

  /** Sends a request under the call lock; returns its id. */
  private long send(String op, Object... fields) throws SandboxException {
    if (!alive()) {
      throw new SandboxException(deathReason());
    }
    long call = ++lastId;
    frames.clear();
    currentId = call;
    try {
      out.write(KernelProtocol.encode(KernelProtocol.request(op, call, fields)));
      out.flush();
    } catch (IOException e) {
      throw new SandboxException(deathReason(), e);
    }
    return call;
  }

  private List<SandboxFile> files(JsonNode list, boolean withContent) {
    List<SandboxFile> files = new ArrayList<>();
    for (JsonNode f : list) {
      String name = f.path("name").asString("");
      long size = f.path("size").asLong(-1);
      if (!SandboxFiles.relativeName(name) || size < 0) {
        continue;
      }
      byte[] content = null;
      if (withContent && f.path("content_b64").isString()) {
        try {
          content = Base64.getDecoder().decode(f.path("content_b64").asString());
        } catch (IllegalArgumentException e) {
          content = null;
        }
        if (content != null && content.length > KernelProtocol.FILE_CAP) {
          content = null;
        }
      }
      files.add(new SandboxFile(name, content != null ? content.length : size, content));
    }
    return List.copyOf(files);
  }

  private String deathReason() {
    String reason = dead;
    if (reason != null) {
      return reason;
    }
    String told = host.deathReason();
    return told != null ? told : "the session has ended (its process exited)";
  }

  @Override
  public boolean alive() {
    return dead == null && !ended;
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

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** A call's output as kept: at most {@code cap} UTF-8 bytes over both streams, then a note. */
  private static final class Output {
    private final int cap;
    private final OutputListener listener;
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private int bytes;
    boolean truncated;

    Output(int cap, OutputListener listener) {
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
}
