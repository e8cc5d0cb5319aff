package dev.grizz.engine.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.config.SettingException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The operator's server list, tool names and the address rule, without any server. */
class McpConfigTests {

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void parsesHttpAndStdioServers() {
    List<McpServerConfig> servers =
        McpServerConfig.parseAll(
            """
            [{"name":"docs","url":"https://mcp.example.com/mcp","headers":{"Authorization":"B t"}},
             {"name":"fs","command":["npx","-y","x"],"env":{"A":"b"},"approval":true,
              "timeout_seconds":5}]
            """,
            "grizz.mcp.servers",
            JSON,
            TIMEOUT);

    assertThat(servers).hasSize(2);
    assertThat(servers.get(0).stdio()).isFalse();
    assertThat(servers.get(0).headers()).containsEntry("Authorization", "B t");
    assertThat(servers.get(0).timeout()).isEqualTo(TIMEOUT);
    assertThat(servers.get(1).command()).containsExactly("npx", "-y", "x");
    assertThat(servers.get(1).approval()).isTrue();
    assertThat(servers.get(1).timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(servers.get(1).source()).isEqualTo("mcp:fs");
  }

  @Test
  void mistakesNameThePropertyAndTheServer() {
    assertRefused("{", "is not valid JSON");
    assertRefused("{}", "must be a JSON array");
    assertRefused("[{\"name\":\"a_b\",\"url\":\"https://x/\"}]", "a name is 1 to 32");
    assertRefused("[{\"name\":\"a\"}]", "either a url or a command");
    assertRefused("[{\"name\":\"a\",\"url\":\"ftp://x/\"}]", "not http(s)");
    assertRefused("[{\"name\":\"a\",\"url\":\"https://x/\",\"urll\":1}]", "unknown field 'urll'");
    assertRefused(
        "[{\"name\":\"a\",\"url\":\"https://x/\"},{\"name\":\"a\",\"command\":[\"x\"]}]", "twice");
  }

  @Test
  void toolNamesArePrefixedSafeAndAtMost64Characters() {
    assertThat(McpTool.exposedName("fs", "read_file")).isEqualTo("fs__read_file");
    assertThat(McpTool.exposedName("fs", "read.file v2")).isEqualTo("fs__read_file_v2");
    String a = McpTool.exposedName("server", "x".repeat(80) + "a");
    String b = McpTool.exposedName("server", "x".repeat(80) + "b");
    assertThat(a).hasSize(64).matches("[a-zA-Z0-9_-]+").isNotEqualTo(b);
  }

  @Test
  void privateAddressesAreRefusedUnlessAllowed() throws Exception {
    for (String host :
        List.of(
            "127.0.0.1",
            "10.0.0.1",
            "172.16.3.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1")) {
      assertThat(McpAddresses.isPrivate(InetAddress.getByName(host))).as(host).isTrue();
    }
    for (String host : List.of("203.0.113.7", "8.8.8.8", "2001:4860:4860::8888")) {
      assertThat(McpAddresses.isPrivate(InetAddress.getByName(host))).as(host).isFalse();
    }
    assertThat(McpAddresses.refusal(URI.create("http://127.0.0.1:1/mcp"), false)).isNotNull();
    assertThat(McpAddresses.refusal(URI.create("http://127.0.0.1:1/mcp"), true)).isNull();
    assertThat(McpAddresses.refusal(URI.create("https://user:pw@203.0.113.7/"), false))
        .contains("user name");
    assertThat(McpAddresses.refusal(URI.create("gopher://203.0.113.7/"), true)).isNotNull();
  }

  @Test
  void secretsRoundTripOnlyForTheirRowAndKey() {
    java.util.UUID id = java.util.UUID.randomUUID();
    McpSecrets secrets = new McpSecrets(new byte[32]);
    String sealed = secrets.encrypt(id, "{\"Authorization\":\"Bearer t\"}");
    assertThat(sealed).startsWith("v1:").doesNotContain("Bearer");
    assertThat(secrets.decrypt(id, sealed)).contains("Bearer t");
    assertThatThrownBy(() -> secrets.decrypt(java.util.UUID.randomUUID(), sealed))
        .isInstanceOf(IllegalStateException.class);
    byte[] other = new byte[32];
    other[0] = 1;
    assertThatThrownBy(() -> new McpSecrets(other).decrypt(id, sealed))
        .hasMessageContaining("do not decrypt");
  }

  private static void assertRefused(String json, String words) {
    assertThatThrownBy(() -> McpServerConfig.parseAll(json, "grizz.mcp.servers", JSON, TIMEOUT))
        .isInstanceOf(SettingException.class)
        .hasMessageContaining("grizz.mcp.servers")
        .hasMessageContaining(words);
  }
}
