package dev.grizz.engine.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wire protocol between the engine and {@code kernel.py}, the same for every backend: one JSON
 * object per line (UTF-8) each way over the sandboxed process's stdin and stdout (or any byte
 * stream that reaches it, a virtio console for a micro-VM).
 *
 * <ol>
 *   <li>The sandbox runs {@code python3 -u -I -c} {@link #BOOTSTRAP} ({@link #command} builds the
 *       argument list): no copy of the kernel is needed inside the sandbox.
 *   <li>The engine sends {@code {"kernel": "<kernel.py's source>"}} ({@link #kernelLine}) and
 *       nothing more until the kernel answers {@code {"type":"ready","python":"3.11.2","pid":7}}.
 *   <li>Requests, each with an {@code id} the answers carry: {@code {"op":"exec","id":1,
 *       "code":"...","wall_s":60,"cpu_s":30,"max_output":65536,"file_cap":..,"files_cap":..}},
 *       {@code {"op":"put","id":2,"name":"a.csv","content_b64":"..."}}, {@code
 *       {"op":"list","id":3}}.
 *   <li>Answers: while a cell runs, {@code {"type":"stream","id":1,"name":"stdout","text":"..."}}
 *       frames in order; then one {@code {"type":"result","id":1,"status":"ok|error|timeout",
 *       "error":null,"truncated":false,"files":[{"name","size","content_b64"}],"took_ms":3}}. A put
 *       or list is answered by a result only ({@code files} without contents for a list). An empty
 *       line is ignored.
 *   <li>Before it ends by itself, the kernel may send {@code {"type":"fatal","error":"..."}} (code
 *       left running between calls used up its CPU time): the reason the session gives.
 * </ol>
 *
 * The kernel runs the user's code in its own process, so any frame may be forged: the engine caps
 * line length ({@link #MAX_LINE_BYTES}) and output, and checks ids and fields.
 */
public final class KernelProtocol {

  /**
   * The program given to {@code python3 -c}: reads the first line and runs the kernel it carries.
   * {@code -I} (isolated: no {@code PYTHON*} variables, no user site, no script directory on the
   * path) but not {@code -S}, so Debian's dist-packages (numpy, pandas, matplotlib) import.
   */
  public static final String BOOTSTRAP =
      "import sys,json;exec(compile(json.loads(sys.stdin.buffer.readline())[\"kernel\"],"
          + "\"<kernel>\",\"exec\"),{\"__name__\":\"__grizz_kernel__\","
          + "\"__builtins__\":__builtins__})";

  /** The largest file whose contents come back after a call; larger files are listed only. */
  public static final long FILE_CAP = 8L << 20;

  /** The most file bytes one call returns, all files together. */
  public static final long FILES_CAP = 24L << 20;

  /** The longest line the engine reads: a result with {@link #FILES_CAP} of base64 and slack. */
  public static final int MAX_LINE_BYTES = (int) (FILES_CAP / 3 * 4) + (4 << 20);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private KernelProtocol() {}

  /** {@code python3 -u -I -c BOOTSTRAP}, with the given interpreter path. */
  public static java.util.List<String> command(String python) {
    return java.util.List.of(python, "-u", "-I", "-c", BOOTSTRAP);
  }

  /** kernel.py's source, read once from this package's resources. */
  public static String kernelSource() {
    return Holder.SOURCE;
  }

  /** The first line the engine sends: the kernel's source, newline-terminated. */
  public static byte[] kernelLine() {
    return Holder.LINE.clone();
  }

  /** One frame as a line, newline-terminated. */
  public static byte[] encode(Map<String, ?> frame) {
    try {
      byte[] body = JSON.writeValueAsBytes(frame);
      byte[] line = new byte[body.length + 1];
      System.arraycopy(body, 0, line, 0, body.length);
      line[body.length] = '\n';
      return line;
    } catch (JacksonException e) {
      throw new IllegalArgumentException("frame not encodable", e);
    }
  }

  /** A request frame: op, id, then the given fields in order. */
  public static Map<String, Object> request(String op, long id, Object... fields) {
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("op", op);
    frame.put("id", id);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      frame.put((String) fields[i], fields[i + 1]);
    }
    return frame;
  }

  /**
   * Parses one line into a JSON object.
   *
   * @throws ProtocolException when it is not a JSON object
   */
  public static JsonNode decode(byte[] line) throws ProtocolException {
    try {
      JsonNode node = JSON.readTree(line);
      if (node == null || !node.isObject()) {
        throw new ProtocolException("a frame is not a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw new ProtocolException("a frame is not JSON: " + e.getOriginalMessage());
    }
  }

  /** Reads newline-terminated lines of a bounded length from a stream, a chunk at a time. */
  public static final class LineReader {
    private final InputStream in;
    private final int max;
    private final byte[] buf = new byte[1 << 16];
    private int start;
    private int end;

    public LineReader(InputStream in, int max) {
      this.in = in;
      this.max = max;
    }

    /**
     * The next line without its newline; null at the end of the stream.
     *
     * @throws ProtocolException when a line is longer than the maximum
     */
    public byte @Nullable [] next() throws IOException, ProtocolException {
      ByteArrayOutputStream line = null;
      while (true) {
        for (int i = start; i < end; i++) {
          if (buf[i] == '\n') {
            byte[] out = take(line, i);
            start = i + 1;
            return out;
          }
        }
        if (line == null) {
          line = new ByteArrayOutputStream(Math.max(256, end - start));
        }
        line.write(buf, start, end - start);
        if (line.size() > max) {
          throw new ProtocolException("a frame is longer than " + max + " bytes");
        }
        start = 0;
        end = in.read(buf);
        if (end < 0) {
          end = 0;
          return null;
        }
      }
    }

    private byte[] take(@Nullable ByteArrayOutputStream line, int newline)
        throws ProtocolException {
      if (line == null) {
        return java.util.Arrays.copyOfRange(buf, start, newline);
      }
      line.write(buf, start, newline - start);
      if (line.size() > max) {
        throw new ProtocolException("a frame is longer than " + max + " bytes");
      }
      return line.toByteArray();
    }
  }

  /** The kernel broke the protocol (or the code in it forged a frame). */
  public static final class ProtocolException extends Exception {
    public ProtocolException(String message) {
      super(message);
    }
  }

  private static final class Holder {
    static final String SOURCE = load();
    static final byte[] LINE = encode(Map.of("kernel", SOURCE));

    private static String load() {
      try (InputStream in = KernelProtocol.class.getResourceAsStream("kernel.py")) {
        if (in == null) {
          throw new IllegalStateException("kernel.py is missing from the classpath");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
