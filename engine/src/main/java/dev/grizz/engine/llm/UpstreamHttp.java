package dev.grizz.engine.llm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The one HTTP transport upstream clients share (the OpenAI-compatible and Anthropic adapters,
 * moderation's OpenAI client): one connection pool, and sockets with Nagle's algorithm off.
 *
 * <p>OkHttp leaves Nagle on. A request body past one write buffer (8 KiB: any conversation with a
 * few turns of history) then goes out in two writes, and the second waits for the server's delayed
 * ACK of the first, about 40 ms on Linux, before the provider even sees the whole prompt. Measured
 * against the fake upstream with a 10 KB prompt: time to first token 48 ms with Nagle, 4 ms without
 * (bench/RESULTS.md). The pool keeps up to {@value #IDLE_CONNECTIONS} idle connections instead of
 * OkHttp's 5, so concurrent streams reuse their TLS connections instead of opening new ones.
 */
public final class UpstreamHttp {

  private static final int IDLE_CONNECTIONS = 256;
  private static final Duration KEEP_ALIVE = Duration.ofMinutes(5);

  private static final OkHttpClient SHARED =
      new OkHttpClient.Builder()
          .socketFactory(new NoDelaySockets(SocketFactory.getDefault()))
          .connectionPool(
              new ConnectionPool(IDLE_CONNECTIONS, KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS))
          // Retrying is the router's job (fallback), as with the SDKs' own retries turned off.
          .retryOnConnectionFailure(false)
          .build();

  private UpstreamHttp() {}

  /**
   * The shared client; {@code newBuilder()} gives a client with other timeouts on the same pool.
   */
  public static OkHttpClient client() {
    return SHARED;
  }

  /** Creates plain sockets with {@code TCP_NODELAY} set (TLS is layered on them by OkHttp). */
  static final class NoDelaySockets extends SocketFactory {
    private final SocketFactory delegate;

    NoDelaySockets(SocketFactory delegate) {
      this.delegate = delegate;
    }

    private static Socket noDelay(Socket socket) throws IOException {
      socket.setTcpNoDelay(true);
      return socket;
    }

    @Override
    public Socket createSocket() throws IOException {
      return noDelay(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return noDelay(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return noDelay(delegate.createSocket(address, port, localAddress, localPort));
    }
  }
}
