package dev.grizz.engine.tool;

import dev.grizz.engine.config.SettingException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the {@code fetch_url} tool may reach the web. An empty value falls back to its default.
 *
 * @param enabled whether models are offered the tool at all
 * @param allowedHosts the hosts it may fetch from ({@code example.com} that host only, {@code
 *     *.example.com} its subdomains); empty means any public host
 * @param allowPrivateAddresses lets it connect to loopback, private and link-local addresses: for a
 *     trusted intranet only, since a model steered by a web page could then read internal services
 *     and the cloud's metadata credentials
 * @param connectTimeout the longest a TCP and TLS connection may take
 * @param readTimeout the longest the server may stay silent while answering
 * @param timeout the whole call, redirects included
 * @param maxBytes the most of a body read; a longer one is cut, and the result says so
 * @param maxRedirects redirects followed, each target checked like the first URL
 */
@ConfigurationProperties("grizz.tools.fetch")
record FetchSettings(
    boolean enabled,
    List<String> allowedHosts,
    boolean allowPrivateAddresses,
    Duration connectTimeout,
    Duration readTimeout,
    Duration timeout,
    long maxBytes,
    int maxRedirects) {

  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
  static final long DEFAULT_MAX_BYTES = 1_048_576;
  static final long MAX_MAX_BYTES = 16_777_216;
  static final int DEFAULT_MAX_REDIRECTS = 5;
  static final int MAX_MAX_REDIRECTS = 20;

  // An empty variable binds as null: each falls back to its default, as if unset.
  FetchSettings {
    allowedHosts =
        allowedHosts == null
            ? List.of()
            : allowedHosts.stream()
                .map(host -> host.strip().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty())
                .toList();
    for (String host : allowedHosts) {
      SettingException.check(
          host.matches("(\\*\\.)?[a-z0-9.:\\[\\]-]+") && host.indexOf('*', 1) < 0,
          "grizz.tools.fetch.allowed-hosts",
          host,
          "must list host names such as example.com or *.example.com, without scheme or path");
    }
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    readTimeout = readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    positive("grizz.tools.fetch.connect-timeout", connectTimeout);
    positive("grizz.tools.fetch.read-timeout", readTimeout);
    positive("grizz.tools.fetch.timeout", timeout);
    SettingException.check(
        maxBytes >= 1 && maxBytes <= MAX_MAX_BYTES,
        "grizz.tools.fetch.max-bytes",
        maxBytes,
        "must be between 1 and " + MAX_MAX_BYTES + " bytes");
    SettingException.check(
        maxRedirects >= 0 && maxRedirects <= MAX_MAX_REDIRECTS,
        "grizz.tools.fetch.max-redirects",
        maxRedirects,
        "must be between 0 and " + MAX_MAX_REDIRECTS);
  }

  /** The defaults: on, any public host, private addresses refused. */
  static FetchSettings defaults() {
    return new FetchSettings(
        true,
        List.of(),
        false,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_READ_TIMEOUT,
        DEFAULT_TIMEOUT,
        DEFAULT_MAX_BYTES,
        DEFAULT_MAX_REDIRECTS);
  }

  /** Whether {@code host} (lower case, as a URL names it) is on the allow-list. */
  boolean allows(String host) {
    if (allowedHosts().isEmpty()) {
      return true;
    }
    for (String allowed : allowedHosts()) {
      if (allowed.startsWith("*.")
          ? host.endsWith(allowed.substring(1)) && host.length() > allowed.length() - 1
          : host.equals(allowed) || ("[" + host + "]").equals(allowed)) {
        return true;
      }
    }
    return false;
  }

  private static void positive(String property, Duration value) {
    SettingException.check(
        !value.isNegative() && !value.isZero(),
        property,
        value,
        "must be a positive duration such as 10s");
  }
}
