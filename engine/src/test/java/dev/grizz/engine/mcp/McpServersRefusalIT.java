package dev.grizz.engine.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Users' MCP servers on an engine with the default rules: no private addresses, and no secret key
 * (so no header values can be stored).
 */
@EngineIT
class McpServersRefusalIT {

  @LocalServerPort int port;

  @Test
  void loopbackPrivateAndLinkLocalAddressesAreRefused() {
    ApiClient user = user();
    for (String url :
        new String[] {
          "http://127.0.0.1:8080/mcp",
          "http://localhost/mcp",
          "http://[::1]/mcp",
          "http://10.1.2.3/mcp",
          "http://192.168.0.10/mcp",
          "http://169.254.169.254/latest/meta-data",
          "http://[::ffff:127.0.0.1]/mcp",
          "http://0.0.0.0/mcp"
        }) {
      ApiClient.Reply reply =
          user.post("/api/v1/mcp-servers", "{\"name\":\"x\",\"url\":\"" + url + "\"}");
      assertThat(reply.status()).as(url + " -> " + reply.raw()).isEqualTo(400);
      assertThat(reply.errorCode()).isEqualTo("invalid_mcp_server_url");
    }
    assertThat(user.get("/api/v1/mcp-servers").body().get("items")).isEmpty();
  }

  @Test
  void headersAreRefusedWithoutASecretKey() {
    ApiClient.Reply reply =
        user()
            .post(
                "/api/v1/mcp-servers",
                "{\"name\":\"x\",\"url\":\"https://203.0.113.9/mcp\",\"headers\":{\"Authorization\":\"Bearer t\"}}");
    assertThat(reply.status()).as(reply.raw()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo("mcp_headers_unavailable");
  }

  @Test
  void anAnonymousSessionCannotAddServers() {
    ApiClient anonymous = new ApiClient(port);
    ApiClient.Reply reply =
        anonymous.post(
            "/api/v1/mcp-servers", "{\"name\":\"x\",\"url\":\"https://203.0.113.9/mcp\"}");
    assertThat(reply.status()).isEqualTo(403);
  }

  private ApiClient user() {
    String token =
        ApiClient.unauthenticated(port)
            .post(
                "/api/v1/accounts",
                "{\"email\":\"mcp-"
                    + UUID.randomUUID()
                    + "@example.com\",\"password\":\"a good password\"}")
            .body()
            .get("access_token")
            .asString();
    return ApiClient.withToken(port, token);
  }
}
