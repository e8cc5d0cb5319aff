package dev.grizz.engine.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.grizz.engine.config.SettingException;
import dev.grizz.engine.llm.CancelSignal;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import okhttp3.Dns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code fetch_url} against a real HTTP server on 127.0.0.1: with private addresses allowed it
 * fetches, caps, times out and follows redirects; with the defaults every way of reaching the
 * engine's own host or network is refused, a redirect included, and so are hosts off the allow-list
 * and other schemes.
 */
class FetchUrlToolTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static HttpServer server;
  private static int port;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/text", exchange -> send(exchange, 200, "text/plain", "hello, bears"));
    server.createContext(
        "/big", exchange -> send(exchange, 200, "text/html; charset=utf-8", "b".repeat(5000)));
    server.createContext("/png", exchange -> send(exchange, 200, "image/png", "\u0089PNG"));
    server.createContext("/missing", exchange -> send(exchange, 404, "text/plain", "no such page"));
    server.createContext(
        "/slow",
        exchange -> {
          try {
            Thread.sleep(Duration.ofSeconds(5));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          send(exchange, 200, "text/plain", "too late");
        });
    server.createContext("/r1", exchange -> redirect(exchange, "/r2")); // relative
    server.createContext(
        "/r2", exchange -> redirect(exchange, "http://127.0.0.1:" + port + "/text"));
    server.createContext("/loop", exchange -> redirect(exchange, "/loop"));
    server.createContext(
        "/to-metadata", exchange -> redirect(exchange, "http://169.254.169.254/latest/meta-data/"));
    server.createContext(
        "/to-ipv6-loopback", exchange -> redirect(exchange, "http://[::1]:" + port + "/text"));
    server.createContext(
        "/to-localhost", exchange -> redirect(exchange, "http://localhost:" + port + "/text"));
    server.createContext("/to-file", exchange -> redirect(exchange, "file:///etc/passwd"));
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private static String local(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private static FetchSettings settings(
      List<String> allowedHosts, boolean allowPrivate, long maxBytes, int maxRedirects) {
    return new FetchSettings(
        true,
        allowedHosts,
        allowPrivate,
        Duration.ofSeconds(2),
        Duration.ofMillis(300),
        Duration.ofSeconds(5),
        maxBytes,
        maxRedirects);
  }

  private static final FetchSettings PRIVATE_ALLOWED = settings(List.of(), true, 1_000_000, 5);

  private static ToolOutput fetch(FetchSettings settings, String url) {
    return new FetchUrlTool(settings, JSON)
        .call(
            new ToolInput(
                JSON.createObjectNode().put("url", url),
                UUID.randomUUID(),
                null,
                new CancelSignal()));
  }

  @Test
  void fetchesTextWithStatusUrlAndType() {
    ToolOutput out = fetch(PRIVATE_ALLOWED, local("/text"));

    assertThat(out.error()).as(out.content()).isFalse();
    assertThat(out.content())
        .startsWith("status: 200\nurl: " + local("/text") + "\ncontent_type: text/plain")
        .endsWith("\n\nhello, bears");
  }

  @Test
  void aBodyOverTheCapIsCutAndSaysSo() {
    ToolOutput out = fetch(settings(List.of(), true, 1000, 5), local("/big"));

    assertThat(out.error()).isFalse();
    assertThat(out.content()).contains("[cut: the body is longer than 1000 bytes");
    assertThat(out.content()).endsWith("\n\n" + "b".repeat(1000));
  }

  @Test
  void aSilentServerTimesOut() {
    long started = System.nanoTime();
    ToolOutput out = fetch(PRIVATE_ALLOWED, local("/slow"));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(out.error()).isTrue();
    assertThat(out.content()).startsWith("The server did not answer in time");
  }

  @Test
  void followsARedirectChainAndNamesTheFinalUrl() {
    ToolOutput out = fetch(PRIVATE_ALLOWED, local("/r1"));

    assertThat(out.error()).as(out.content()).isFalse();
    assertThat(out.content()).contains("url: " + local("/text")).endsWith("hello, bears");
  }

  @Test
  void stopsAfterTheMostRedirects() {
    ToolOutput out = fetch(settings(List.of(), true, 1000, 2), local("/loop"));

    assertThat(out.error()).isTrue();
    assertThat(out.content()).startsWith("The URL redirected more than 2 times");
  }

  @Test
  void refusesContentThatIsNotText() {
    ToolOutput out = fetch(PRIVATE_ALLOWED, local("/png"));

    assertThat(out.error()).isTrue();
    assertThat(out.content()).contains("image/png, which is not text");
  }

  @Test
  void anErrorStatusIsAnErrorWithItsPage() {
    ToolOutput out = fetch(PRIVATE_ALLOWED, local("/missing"));

    assertThat(out.error()).isTrue();
    assertThat(out.content()).startsWith("status: 404").endsWith("no such page");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:PORT/text",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://100.64.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:PORT/text",
        "http://[::ffff:127.0.0.1]:PORT/text",
        "http://[fd00::1]/",
        "http://0.0.0.0:PORT/text",
        "http://2130706433:PORT/text",
        "http://localhost:PORT/text",
        "https://localhost:PORT/text"
      })
  void byDefaultEveryWayToTheEnginesOwnNetworkIsRefused(String url) {
    ToolOutput out = fetch(FetchSettings.defaults(), url.replace("PORT", Integer.toString(port)));

    assertThat(out.error()).as(out.content()).isTrue();
    assertThat(out.content()).startsWith("Refused: ").contains("public internet addresses");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/to-metadata", "/to-ipv6-loopback"})
  void aRedirectFromAnAllowedHostToAPrivateAddressIsRefused(String path) {
    // public.test stands for a public site: it resolves to the test server, and only that one
    // address is let through; everything else meets the real rule.
    InetAddress server = InetAddress.getLoopbackAddress();
    Dns resolver = host -> host.equals("public.test") ? List.of(server) : Dns.SYSTEM.lookup(host);
    Fetcher fetcher =
        new Fetcher(
            FetchSettings.defaults(),
            resolver,
            address -> address.equals(server) ? null : PublicAddresses.refusal(address));

    ToolOutput direct = fetcher.fetch("http://public.test:" + port + "/text", new CancelSignal());
    ToolOutput redirected = fetcher.fetch("http://public.test:" + port + path, new CancelSignal());

    assertThat(direct.error()).as(direct.content()).isFalse();
    assertThat(redirected.error()).isTrue();
    assertThat(redirected.content()).startsWith("Refused: ");
  }

  @Test
  void aHostOffTheAllowListIsRefusedAndSoIsARedirectToOne() {
    FetchSettings onlyTheServer = settings(List.of("127.0.0.1"), true, 1000, 5);

    ToolOutput allowed = fetch(onlyTheServer, local("/text"));
    ToolOutput offList = fetch(settings(List.of("example.com"), true, 1000, 5), local("/text"));
    ToolOutput redirected = fetch(onlyTheServer, local("/to-localhost"));

    assertThat(allowed.error()).as(allowed.content()).isFalse();
    assertThat(offList.error()).isTrue();
    assertThat(offList.content())
        .isEqualTo(
            "The host 127.0.0.1 is not on the list of hosts this tool may fetch from"
                + " (the operator's grizz.tools.fetch.allowed-hosts).");
    assertThat(redirected.error()).isTrue();
    assertThat(redirected.content()).startsWith("The host localhost is not on the list");
  }

  @Test
  void theAllowListMatchesHostsAndWildcardSubdomains() {
    FetchSettings settings = settings(List.of("Example.com", "*.docs.example.org"), false, 1, 0);

    assertThat(settings.allows("example.com")).isTrue();
    assertThat(settings.allows("www.example.com")).isFalse();
    assertThat(settings.allows("api.docs.example.org")).isTrue();
    assertThat(settings.allows("docs.example.org")).isFalse();
    assertThat(settings.allows("evildocs.example.org")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/"})
  void otherSchemesAreRefused(String url) {
    ToolOutput out = fetch(PRIVATE_ALLOWED, url);

    assertThat(out.error()).isTrue();
    assertThat(out.content()).startsWith("Only http and https URLs can be fetched");
  }

  @Test
  void aRedirectToAnotherSchemeIsRefused() {
    ToolOutput out = fetch(PRIVATE_ALLOWED, local("/to-file"));

    assertThat(out.error()).isTrue();
    assertThat(out.content()).contains("which is not an http or https URL");
  }

  @Test
  void theToolIsIdempotentAndCanBeTurnedOff() {
    FetchUrlTool on = new FetchUrlTool(FetchSettings.defaults(), JSON);
    FetchSettings d = FetchSettings.defaults();
    FetchUrlTool off =
        new FetchUrlTool(
            new FetchSettings(
                false,
                d.allowedHosts(),
                false,
                d.connectTimeout(),
                d.readTimeout(),
                d.timeout(),
                d.maxBytes(),
                d.maxRedirects()),
            JSON);

    assertThat(on.definition().name()).isEqualTo("fetch_url");
    assertThat(on.definition().limits().idempotent()).isTrue();
    assertThat(on.definition().limits().timeout()).isGreaterThan(d.timeout());
    assertThat(on.enabled()).isTrue();
    assertThat(off.enabled()).isFalse();
  }

  @Test
  void badSettingsNameTheirProperty() {
    assertThatThrownBy(() -> settings(List.of("https://example.com/"), false, 1, 0))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("grizz.tools.fetch.allowed-hosts must list host names");
    assertThatThrownBy(() -> settings(List.of(), false, 0, 0))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("grizz.tools.fetch.max-bytes");
    assertThatThrownBy(() -> settings(List.of(), false, 1, -1))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("grizz.tools.fetch.max-redirects");
  }
}
