package dev.grizz.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as the test writes it: paths that other clients
 * normalise or refuse ({@code //}, {@code /./}, {@code ;x}, {@code %61}), invalid UTF-8, unknown
 * methods, chunked bodies of any size. One request per connection ({@code Connection: close}); a
 * response that does not end within the timeout is a {@link Hang}.
 */
public final class RawHttp {

  private final int port;
  private final int timeoutMillis;

  public RawHttp(int port) {
    this(port, 15_000);
  }

  public RawHttp(int port, int timeoutMillis) {
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  /** A response: status, headers (lower-case names) and the body, de-chunked. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      String text = text();
      return status + " " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }
  }

  /** The server did not finish its answer in time. */
  public static final class Hang extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Hang(String request) {
      super("no complete answer in time to: " + request);
    }
  }

  /**
   * Sends {@code method target} with these headers and body (Content-Length added when non-null).
   */
  public Response send(String method, String target, Map<String, String> headers, byte[] body) {
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: localhost:").append(port).append("\r\n");
    head.append("Connection: close\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    if (body != null && !headers.containsKey("Transfer-Encoding")) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      request.writeBytes(body);
    }
    return exchange(request.toByteArray(), method + " " + target);
  }

  public Response send(String method, String target, Map<String, String> headers) {
    return send(method, target, headers, null);
  }

  /**
   * Streams a chunked body of {@code total} bytes of {@code fill} (no Content-Length), as a client
   * uploading without knowing the size would; stops writing when the server closes the connection.
   */
  public Response sendChunked(
      String method, String target, Map<String, String> headers, long total, byte fill) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: localhost:").append(port).append("\r\n");
      head.append("Connection: close\r\nTransfer-Encoding: chunked\r\n");
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, fill);
      byte[] chunkHead =
          (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      // Written from another thread: a server that answers early and stops reading would block a
      // write forever (sockets have no write timeout); the answer is read here meanwhile.
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  for (long sent = 0; sent < total; sent += chunk.length) {
                    out.write(chunkHead);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                  }
                  out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException refused) {
                  // The server answered and closed while we were still sending.
                }
              });
      // Closing the socket (try-with-resources) ends the writer if it is still blocked.
      return parse(readAll(socket.getInputStream(), method + " " + target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends these exact bytes as the request. */
  public Response exchange(byte[] request, String description) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(timeoutMillis);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      return parse(readAll(socket.getInputStream(), description));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] readAll(InputStream in, String description) throws IOException {
    long deadline = System.nanoTime() + 2L * timeoutMillis * 1_000_000;
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[16 * 1024];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
        if (complete(all.toByteArray())) {
          break; // a server still swallowing our upload may keep the connection open
        }
        if (System.nanoTime() > deadline) {
          throw new Hang(description);
        }
      }
    } catch (SocketTimeoutException e) {
      throw new Hang(description);
    } catch (java.net.SocketException reset) {
      // A reset after the answer (the server closed with our upload unread): keep what came.
      if (all.size() == 0) {
        throw reset;
      }
    }
    return all.toByteArray();
  }

  /**
   * True when the bytes hold a whole response with a Content-Length, or the head of an event stream
   * (which never ends by itself: its head is the answer a test can judge).
   */
  private static boolean complete(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    for (String line : text.substring(0, end).split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Type: text/event-stream", 0, 31)) {
        return true;
      }
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return raw.length >= end + 4 + Long.parseLong(line.substring(15).strip());
      }
    }
    return false;
  }

  private static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IllegalStateException("no HTTP response: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(
          lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip(),
          (a, b) -> a + ", " + b);
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Response(status, headers, body);
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int lineEnd = indexOfCrlf(body, at);
      if (lineEnd < 0) {
        break;
      }
      String sizeLine = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
      int size;
      try {
        size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
      } catch (NumberFormatException partial) {
        break; // an event stream cut where we stopped reading
      }
      if (size == 0) {
        break;
      }
      int start = lineEnd + 2;
      out.write(body, start, Math.min(size, body.length - start));
      at = start + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] body, int from) {
    for (int i = from; i + 1 < body.length; i++) {
      if (body[i] == '\r' && body[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
