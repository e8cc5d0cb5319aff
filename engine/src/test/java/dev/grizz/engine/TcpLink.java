package dev.grizz.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP link between one pod and a server that a test can cut and heal: a network partition of that
 * pod alone (the server and every other pod carry on). Cut, open connections are closed and new
 * ones refused; healed, the link listens again on the same port.
 */
public final class TcpLink implements AutoCloseable {

  private final String targetHost;
  private final int targetPort;
  private final int port = TestServers.freePort();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;

  public TcpLink(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    heal();
  }

  /** A link to the server of this JDBC URL, and the database URL that goes through the link. */
  public static TcpLink toDatabase(TestServers.Database db) {
    java.util.regex.Matcher hostPort =
        java.util.regex.Pattern.compile("//([^:/]+):(\\d+)/").matcher(db.url());
    if (!hostPort.find()) {
      throw new IllegalArgumentException("no host:port in " + db.url());
    }
    return new TcpLink(hostPort.group(1), Integer.parseInt(hostPort.group(2)));
  }

  /** {@code db} reached through this link. */
  public TestServers.Database database(TestServers.Database db) {
    return new TestServers.Database(
        db.url().replaceFirst("//[^:/]+:\\d+/", "//127.0.0.1:" + port + "/"), db.username());
  }

  public synchronized void heal() {
    if (server != null && !server.isClosed()) {
      return;
    }
    try {
      ServerSocket listening = new ServerSocket();
      listening.setReuseAddress(true);
      listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      server = listening;
      Thread.ofVirtual().name("tcp-link-" + port).start(() -> accept(listening));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes every connection through the link and refuses new ones until {@link #heal()}. */
  public synchronized void cut() {
    closeQuietly(server);
    open.forEach(TcpLink::closeQuietly);
    open.clear();
  }

  private void accept(ServerSocket listening) {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
        Socket upstream = new Socket(targetHost, targetPort);
        open.add(client);
        open.add(upstream);
        if (listening.isClosed()) {
          closeQuietly(client);
          closeQuietly(upstream);
          return;
        }
        Thread.ofVirtual().start(() -> pump(client, upstream));
        Thread.ofVirtual().start(() -> pump(upstream, client));
      } catch (IOException e) {
        // closed by cut(), or the server refused: the client sees its connection end
      }
    }
  }

  private void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // either side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    cut();
  }
}
