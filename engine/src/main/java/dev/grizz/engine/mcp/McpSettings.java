package dev.grizz.engine.mcp;

import dev.grizz.engine.config.SettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * MCP servers: the operator's list, how long calls and connections may take, how often tool lists
 * are refreshed, and the rules for the servers users add for themselves.
 *
 * @param servers the operator's servers, a JSON array (see {@link McpServerConfig#parseAll})
 * @param serversFile the same array in a mounted file (read once, at start-up)
 * @param timeout the default time limit of one tool call (a server may set its own)
 * @param connectTimeout how long connecting to and initialising a server may take
 * @param refreshInterval how often every connected server's tool list is asked for again
 * @param listWait how long listing tools waits for a server's first connection before answering
 *     without its tools
 * @param retryBackoff the wait before connecting again after a failure, doubled on each further
 *     failure up to {@code retryBackoffMax}
 * @param retryBackoffMax the longest wait between attempts
 * @param secretKey the AES-256 key (base64 of 32 bytes) that encrypts the header values of users'
 *     servers; unset, users may add servers without headers only
 * @param allowPrivateAddresses whether users' servers may be on loopback, private or link-local
 *     addresses (a developer's machine; never on a shared engine)
 * @param maxUserServers how many servers one user may add
 */
@ConfigurationProperties("grizz.mcp")
record McpSettings(
    @Nullable String servers,
    @Nullable Path serversFile,
    Duration timeout,
    Duration connectTimeout,
    Duration refreshInterval,
    Duration listWait,
    Duration retryBackoff,
    Duration retryBackoffMax,
    @Nullable String secretKey,
    boolean allowPrivateAddresses,
    int maxUserServers) {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);
  static final Duration DEFAULT_LIST_WAIT = Duration.ofSeconds(2);
  static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
  static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofMinutes(5);
  static final int DEFAULT_MAX_USER_SERVERS = 10;

  McpSettings {
    servers = servers == null || servers.isBlank() ? null : servers;
    serversFile = serversFile == null || serversFile.toString().isBlank() ? null : serversFile;
    secretKey = secretKey == null || secretKey.isBlank() ? null : secretKey.strip();
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    refreshInterval = refreshInterval == null ? DEFAULT_REFRESH_INTERVAL : refreshInterval;
    listWait = listWait == null ? DEFAULT_LIST_WAIT : listWait;
    retryBackoff = retryBackoff == null ? DEFAULT_RETRY_BACKOFF : retryBackoff;
    retryBackoffMax = retryBackoffMax == null ? DEFAULT_RETRY_BACKOFF_MAX : retryBackoffMax;
    positive("grizz.mcp.timeout", timeout);
    positive("grizz.mcp.connect-timeout", connectTimeout);
    positive("grizz.mcp.refresh-interval", refreshInterval);
    positive("grizz.mcp.retry-backoff", retryBackoff);
    SettingException.check(
        !listWait.isNegative(), "grizz.mcp.list-wait", listWait, "must not be negative");
    SettingException.check(
        retryBackoffMax.compareTo(retryBackoff) >= 0,
        "grizz.mcp.retry-backoff-max",
        retryBackoffMax,
        "must be at least grizz.mcp.retry-backoff");
    SettingException.min("grizz.mcp.max-user-servers", maxUserServers, 0);
    SettingException.check(
        servers == null || serversFile == null,
        "grizz.mcp.servers-file",
        serversFile,
        "cannot be set together with grizz.mcp.servers");
    if (serversFile != null && !Files.isReadable(serversFile)) {
      throw new SettingException("grizz.mcp.servers-file", "names a file that cannot be read");
    }
    if (secretKey != null) {
      key(secretKey);
    }
    // Parsed here too, so a mistake fails start-up with the property's name.
    serverList(servers, serversFile, JsonMapper.shared(), timeout);
  }

  /** The operator's servers, parsed. */
  List<McpServerConfig> serverList(JsonMapper json) {
    return serverList(servers, serversFile, json, timeout);
  }

  /** The secret key's 32 bytes, or null when unset. */
  byte @Nullable [] secretKeyBytes() {
    return secretKey == null ? null : key(secretKey);
  }

  private static List<McpServerConfig> serverList(
      @Nullable String servers, @Nullable Path file, JsonMapper json, Duration timeout) {
    if (file != null) {
      try {
        return McpServerConfig.parseAll(
            Files.readString(file), "grizz.mcp.servers-file", json, timeout);
      } catch (IOException e) {
        throw new SettingException("grizz.mcp.servers-file", "cannot be read: " + e.getMessage());
      }
    }
    return McpServerConfig.parseAll(servers, "grizz.mcp.servers", json, timeout);
  }

  private static byte[] key(String base64) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new SettingException("grizz.mcp.secret-key", "is not base64");
    }
    if (key.length != 32) {
      throw new SettingException(
          "grizz.mcp.secret-key", "must be 32 bytes in base64 (openssl rand -base64 32)");
    }
    return key;
  }

  private static void positive(String property, Duration value) {
    SettingException.check(
        !value.isNegative() && !value.isZero(), property, value, "must be positive");
  }
}
