package dev.grizz.engine.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.tool.Tool;
import dev.grizz.engine.tool.ToolCalls;
import dev.grizz.engine.tool.ToolRegistry;
import dev.grizz.engine.tool.ToolRun;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The MCP servers users add for themselves, through the REST API and the engine's tool registry,
 * against the real everything server over Streamable HTTP (loopback allowed in this engine).
 */
class McpUserServersIT {

  static final String SECRET = "Bearer s3cret-value-4711";

  static McpEngine mcp;
  static ToolRegistry registry;
  static ToolCalls calls;
  static JdbcClient jdbc;

  @BeforeAll
  static void start() {
    mcp = McpEngine.shared();
    registry = mcp.bean(ToolRegistry.class);
    calls = mcp.bean(ToolCalls.class);
    jdbc = mcp.bean(JdbcClient.class);
  }

  @Test
  void aUsersServerIsAddedListedCalledAndDeletedAndItsHeadersNeverShown() {
    ApiClient owner = user();
    ApiClient.Reply added =
        owner.post(
            "/api/v1/mcp-servers",
            "{\"name\":\"mine\",\"url\":\""
                + mcp.webUrl()
                + "\",\"headers\":{\"Authorization\":\""
                + SECRET
                + "\"}}");
    assertThat(added.status()).as(added.raw()).isEqualTo(201);
    assertThat(added.raw()).doesNotContain("s3cret");
    assertThat(added.body().get("header_names").get(0).asString()).isEqualTo("Authorization");
    String id = added.body().get("id").asString();

    ApiClient.Reply listed = owner.get("/api/v1/mcp-servers");
    assertThat(listed.body().get("items")).hasSize(1);
    assertThat(listed.raw()).contains("mine").doesNotContain("s3cret");

    String stored =
        jdbc.sql(
                "select headers_encrypted || header_names::text from user_mcp_servers where id = ?")
            .param(UUID.fromString(id))
            .query(String.class)
            .single();
    assertThat(stored).startsWith("v1:").doesNotContain("s3cret").doesNotContain("4711");

    Tool echo = awaitTool(owner.userId(), "mine__echo");
    assertThat(echo.definition().source()).isEqualTo("mcp:mine");
    ToolRun run =
        calls.run(
            echo, "{\"message\":\"my own server\"}", owner.userId(), null, new CancelSignal());
    assertThat(run.status()).isEqualTo(ToolRun.Status.OK);
    assertThat(run.content()).contains("my own server");

    ApiClient other = user();
    assertThat(names(other.userId())).noneMatch(name -> name.startsWith("mine__"));
    assertThat(registry.find(other.userId(), "mine__echo")).isEmpty();
    assertThat(other.get("/api/v1/mcp-servers").body().get("items")).isEmpty();
    assertThat(other.delete("/api/v1/mcp-servers/" + id).status()).isEqualTo(404);

    assertThat(owner.delete("/api/v1/mcp-servers/" + id).status()).isEqualTo(204);
    assertThat(owner.get("/api/v1/mcp-servers").body().get("items")).isEmpty();
    assertThat(names(owner.userId())).noneMatch(name -> name.startsWith("mine__"));
    assertThat(owner.delete("/api/v1/mcp-servers/" + id).status()).isEqualTo(404);
  }

  @Test
  void storedHeadersAreSentToTheServerDecrypted() {
    ApiClient owner = user();
    ApiClient.Reply added =
        owner.post(
            "/api/v1/mcp-servers",
            "{\"name\":\"junky\",\"url\":\""
                + mcp.junkUrl()
                + "\",\"headers\":{\"X-Api-Key\":\"k-123\"}}");
    assertThat(added.status()).as(added.raw()).isEqualTo(201);

    // The junk server answers garbage, so no tools; the listing still answers.
    assertThat(names(owner.userId())).noneMatch(name -> name.startsWith("junky__"));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(mcp.junkHeaders.getFirst("X-Api-Key")).isEqualTo("k-123"));
  }

  @Test
  void badServersAreRefusedWithAStableCode() {
    ApiClient owner = user();
    assertRefused(
        owner, "{\"name\":\"a\",\"url\":\"ftp://example.com/mcp\"}", "invalid_mcp_server_url");
    assertRefused(
        owner, "{\"name\":\"a\",\"url\":\"file:///etc/passwd\"}", "invalid_mcp_server_url");
    assertRefused(
        owner, "{\"name\":\"a b\",\"url\":\"" + mcp.webUrl() + "\"}", "invalid_mcp_server_name");
    assertRefused(
        owner, "{\"name\":\"web\",\"url\":\"" + mcp.webUrl() + "\"}", "mcp_server_name_taken");
    assertRefused(
        owner,
        "{\"name\":\"a\",\"url\":\"" + mcp.webUrl() + "\",\"headers\":{\"Host\":\"x\"}}",
        "invalid_mcp_header");
    assertThat(
            owner
                .post("/api/v1/mcp-servers", "{\"name\":\"a\",\"url\":\"" + mcp.webUrl() + "\"}")
                .status())
        .isEqualTo(201);
    assertRefused(
        owner, "{\"name\":\"a\",\"url\":\"" + mcp.webUrl() + "\"}", "mcp_server_name_taken");
  }

  @Test
  void erasingAUserDeletesTheirServers() {
    ApiClient owner = user();
    UUID id = owner.userId();
    owner.post("/api/v1/mcp-servers", "{\"name\":\"gone\",\"url\":\"" + mcp.webUrl() + "\"}");
    assertThat(count(id)).isEqualTo(1);

    assertThat(owner.delete("/api/v1/users/" + id).status()).isEqualTo(200);

    assertThat(count(id)).isZero();
  }

  private static long count(UUID userId) {
    return jdbc.sql("select count(*) from user_mcp_servers where user_id = ?")
        .param(userId)
        .query(Long.class)
        .single();
  }

  private static void assertRefused(ApiClient client, String body, String code) {
    ApiClient.Reply reply = client.post("/api/v1/mcp-servers", body);
    assertThat(reply.status()).as(body + " -> " + reply.raw()).isEqualTo(400);
    assertThat(reply.errorCode()).as(reply.raw()).isEqualTo(code);
  }

  private static ApiClient user() {
    int port = mcp.engine.port();
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

  private static List<String> names(UUID user) {
    return registry.available(user).stream().map(t -> t.definition().name()).toList();
  }

  private static Tool awaitTool(UUID user, String name) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> registry.find(user, name), found -> found.isPresent())
        .orElseThrow();
  }
}
