package dev.grizz.engine.llm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server that answers one request per connection with the same event stream and then closes the
 * connection, as a server does on its idle timeout: to a client keeping it alive, the next request
 * on it fails before any answer.
 */
final class OneAnswerPerConnection implements AutoCloseable {

  private final ServerSocket server;
  final AtomicInteger connections = new AtomicInteger();

  OneAnswerPerConnection(byte[] eventStream) {
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofVirtual()
        .start(
            () -> {
              while (true) {
                try (Socket socket = server.accept()) {
                  connections.incrementAndGet();
                  answerOnce(socket, eventStream);
                } catch (IOException closed) {
                  return;
                }
              }
            });
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getLocalPort() + path;
  }

  private static void answerOnce(Socket socket, byte[] body) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int next = in.read();
      if (next < 0) {
        return;
      }
      head.append((char) next);
    }
    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head.toString());
    in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
