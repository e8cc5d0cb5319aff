package dev.grizz.engine.tool;

import dev.grizz.engine.llm.CancelSignal;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP side of {@code fetch_url}: one GET, redirects followed by hand so each target is checked
 * like the first URL, and a body read up to a cap. The address check happens where the address is
 * used, so a name cannot resolve to a public address when checked and a private one when connected
 * (DNS rebinding): the client's {@link Dns} resolves once and hands OkHttp only the addresses that
 * pass; IP literals, which OkHttp connects to without asking its {@code Dns}, are checked before
 * the call; and a network interceptor checks the address actually connected to before a byte of the
 * request is sent. No proxy is used, so no proxy resolves names behind the check's back.
 */
final class Fetcher {

  private final FetchSettings settings;
  private final Function<InetAddress, @Nullable String> refusal;
  private final OkHttpClient http;

  /**
   * @param resolver how names become addresses ({@link Dns#SYSTEM} but in tests)
   * @param refusal why an address may not be connected to, or null ({@link
   *     PublicAddresses#refusal}); not asked when the settings allow private addresses
   */
  Fetcher(FetchSettings settings, Dns resolver, Function<InetAddress, @Nullable String> refusal) {
    this.settings = settings;
    this.refusal = settings.allowPrivateAddresses() ? address -> null : refusal;
    this.http =
        new OkHttpClient.Builder()
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .followSslRedirects(false)
            .retryOnConnectionFailure(false)
            .connectTimeout(settings.connectTimeout())
            .readTimeout(settings.readTimeout())
            .dns(hostname -> checked(hostname, resolver))
            .addNetworkInterceptor(this::checkConnected)
            .build();
  }

  /** GETs {@code url}: the status, final URL, content type and text, or why not. */
  ToolOutput fetch(String url, CancelSignal cancel) {
    HttpUrl current;
    try {
      String scheme = new URI(url.strip()).getScheme();
      if (scheme == null || !Set.of("http", "https").contains(scheme.toLowerCase(Locale.ROOT))) {
        return ToolOutput.error("Only http and https URLs can be fetched, not '" + url + "'.");
      }
      current = HttpUrl.get(url.strip());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return ToolOutput.error("'" + url + "' is not a valid http or https URL.");
    }
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    for (int redirects = 0; ; redirects++) {
      String refused = refusal(current);
      if (refused != null) {
        return ToolOutput.error(refused);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return timedOut();
      }
      Call call = http.newCall(request(current));
      call.timeout().timeout(left, TimeUnit.NANOSECONDS);
      cancel.onCancel(call::cancel);
      try (Response response = call.execute()) {
        if (!response.isRedirect()) {
          return FetchedText.of(response, current, settings.maxBytes());
        }
        String location = response.header("Location");
        if (location == null) {
          return FetchedText.of(response, current, settings.maxBytes());
        }
        if (redirects >= settings.maxRedirects()) {
          return ToolOutput.error(
              "The URL redirected more than "
                  + settings.maxRedirects()
                  + " times; the last redirect was to "
                  + location
                  + ".");
        }
        HttpUrl next = current.resolve(location);
        if (next == null) {
          return ToolOutput.error(
              current + " redirected to '" + location + "', which is not an http or https URL.");
        }
        current = next;
      } catch (IOException e) {
        return failed(e, current, cancel);
      }
    }
  }

  /** Why {@code url} may not be fetched before any connection is made, or null. */
  private @Nullable String refusal(HttpUrl url) {
    String host = url.host();
    if (!settings.allows(host)) {
      return "The host "
          + host
          + " is not on the list of hosts this tool may fetch from"
          + " (the operator's grizz.tools.fetch.allowed-hosts).";
    }
    // OkHttp connects to what it reads as an IP literal without asking its Dns; read it the same
    // way (InetAddress parses such literals itself, with no lookup).
    if (host.contains(":") || host.matches("[0-9.]+")) {
      try {
        String why = refusal.apply(InetAddress.getByName(host));
        return why == null ? null : refusedText(host, why);
      } catch (UnknownHostException e) {
        return "'" + host + "' is not a valid address.";
      }
    }
    return null;
  }

  private List<InetAddress> checked(String hostname, Dns resolver) throws UnknownHostException {
    List<InetAddress> passed = new ArrayList<>();
    String why = null;
    for (InetAddress address : resolver.lookup(hostname)) {
      String refused = refusal.apply(address);
      if (refused == null) {
        passed.add(address);
      } else if (why == null) {
        why = refused;
      }
    }
    if (passed.isEmpty()) {
      throw new Refused(
          refusedText(hostname, why == null ? "no address at all" : why + " and nothing public"));
    }
    return passed;
  }

  private Response checkConnected(Interceptor.Chain chain) throws IOException {
    Connection connection = chain.connection();
    if (connection != null) {
      InetAddress address = connection.route().socketAddress().getAddress();
      String why = refusal.apply(address);
      if (why != null) {
        throw new Refused(refusedText(address.getHostAddress(), why));
      }
    }
    return chain.proceed(chain.request());
  }

  private static String refusedText(String host, String why) {
    return "Refused: "
        + host
        + " is "
        + why
        + ". This tool only fetches from public internet addresses.";
  }

  private static Request request(HttpUrl url) {
    return new Request.Builder()
        .url(url)
        .get()
        .header("User-Agent", "Grizz-fetch_url/1")
        .header(
            "Accept",
            "text/html, text/plain;q=0.9, application/json;q=0.9, application/xml;q=0.8,"
                + " text/*;q=0.7")
        .build();
  }

  private ToolOutput failed(IOException e, HttpUrl url, CancelSignal cancel) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Refused refused) {
        return ToolOutput.error(refused.getMessage());
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (suppressed instanceof Refused refused) {
          return ToolOutput.error(refused.getMessage());
        }
      }
    }
    if (cancel.isCancelled()) {
      return ToolOutput.error("The fetch was cancelled.");
    }
    if (e instanceof InterruptedIOException) {
      return timedOut();
    }
    if (e instanceof UnknownHostException) {
      return ToolOutput.error("The host " + url.host() + " could not be found.");
    }
    return ToolOutput.error(
        "Could not fetch "
            + url
            + ": "
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
  }

  private ToolOutput timedOut() {
    return ToolOutput.error(
        "The server did not answer in time (the limits are "
            + settings.connectTimeout().toMillis()
            + " ms to connect, "
            + settings.readTimeout().toMillis()
            + " ms of silence, "
            + settings.timeout().toMillis()
            + " ms in all).");
  }

  /**
   * An address the check refused; an {@link UnknownHostException} so that {@link Dns} may throw it.
   */
  static final class Refused extends UnknownHostException {
    Refused(String message) {
      super(message);
    }
  }
}
