package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;

/** The transport every upstream client shares sends small writes at once (no Nagle delay). */
class UpstreamHttpTests {

  @Test
  void everySocketTheSharedClientMakesHasNagleOff() throws IOException {
    SocketFactory factory = UpstreamHttp.client().socketFactory();
    InetAddress loopback = InetAddress.getLoopbackAddress();
    List<Socket> sockets = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
      int port = server.getLocalPort();
      Socket unconnected = factory.createSocket();
      unconnected.connect(new InetSocketAddress(loopback, port));
      sockets.add(unconnected);
      sockets.add(factory.createSocket(loopback.getHostAddress(), port));
      sockets.add(factory.createSocket(loopback, port));
      sockets.add(factory.createSocket(loopback.getHostAddress(), port, loopback, 0));
      sockets.add(factory.createSocket(loopback, port, loopback, 0));

      for (Socket socket : sockets) {
        assertThat(socket.getTcpNoDelay()).isTrue();
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void providersShareOneConnectionPool() {
    assertThat(UpstreamHttp.client().connectionPool())
        .isSameAs(UpstreamHttp.client().connectionPool());
    assertThat(UpstreamHttp.client().retryOnConnectionFailure()).isFalse();
  }
}
