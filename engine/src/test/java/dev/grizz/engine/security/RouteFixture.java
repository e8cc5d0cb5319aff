package dev.grizz.engine.security;

import dev.grizz.engine.ApiClient;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A registered user with a conversation (one message sent, shared by link), an API key, an MCP
 * server, and when asked a stored response of the Responses API: the resources a route pattern's
 * ids are filled with, so a request reaches the handler as its owner would send it.
 */
record RouteFixture(
    String token,
    String userId,
    String conversationId,
    String stepId,
    String keyId,
    String responseId,
    String mcpServerId,
    String fileId,
    String shareId,
    String shareToken,
    String memoryId) {

  /** The access token of a new registered user. */
  static String registered(int port) {
    return ApiClient.unauthenticated(port)
        .post(
            "/api/v1/accounts",
            "{\"email\":\"u-"
                + UUID.randomUUID()
                + "@example.com\",\"password\":\"a good password\"}")
        .body()
        .get("access_token")
        .asString();
  }

  static RouteFixture create(int port) {
    return create(port, false);
  }

  /** As {@link #create(int)}, with a stored response when {@code withResponse}. */
  static RouteFixture create(int port, boolean withResponse) {
    ApiClient user = ApiClient.withToken(port, registered(port));
    String userId = user.get("/api/v1/me").body().get("id").asString();
    String conversation = user.post("/api/v1/conversations", "{}").body().get("id").asString();
    String step =
        user.post("/api/v1/conversations/" + conversation + "/messages", "{\"content\":\"hello\"}")
            .body()
            .get("step_id")
            .asString();
    String key = user.post("/api/v1/api-keys", "{\"name\":\"k\"}").body().get("id").asString();
    String response =
        withResponse
            ? user.post("/v1/responses", "{\"input\":\"hello\"}").body().get("id").asString()
            : "resp_" + UUID.randomUUID().toString().replace("-", "");
    // A public address (TEST-NET-3) passes the address rule; nothing is contacted when it is added.
    String mcpServer =
        user.post(
                "/api/v1/mcp-servers", "{\"name\":\"fixture\",\"url\":\"https://203.0.113.7/mcp\"}")
            .body()
            .get("id")
            .asString();
    String file =
        user.send(
                "/api/v1/conversations/" + conversation + "/files?name=data.csv",
                "POST",
                "a,b\n1,2\n",
                "text/csv")
            .body()
            .get("id")
            .asString();
    JsonNode share = user.post("/api/v1/conversations/" + conversation + "/shares", "").body();
    String memory =
        user.post("/api/v1/memories", "{\"content\":\"The fixture likes tea.\"}")
            .body()
            .get("id")
            .asString();
    return new RouteFixture(
        user.token(),
        userId,
        conversation,
        step,
        key,
        response,
        mcpServer,
        file,
        share.get("id").asString(),
        share.get("token").asString(),
        memory);
  }

  /** The pattern with this fixture's ids in it (a random id where it owns nothing). */
  String path(String pattern) {
    // A catch-all names a model id, which holds a '/'.
    String path =
        pattern.replace("/**", "").replace("{*id}", "demo/demo").replace("{stepId}", stepId);
    path = path.replace("{conversationId}", conversationId);
    path = path.replace("{shareId}", shareId).replace("{token}", shareToken);
    if (path.startsWith("/api/v1/conversations/")) {
      path = path.replace("{id}", conversationId);
    } else if (path.startsWith("/api/v1/users/")) {
      path = path.replace("{id}", userId);
    } else if (path.startsWith("/api/v1/mcp-servers/")) {
      path = path.replace("{id}", mcpServerId);
    } else if (path.startsWith("/api/v1/api-keys/")) {
      path = path.replace("{id}", keyId);
    } else if (path.startsWith("/api/v1/memories/")) {
      path = path.replace("{id}", memoryId);
    } else if (path.startsWith("/api/v1/files/")) {
      path = path.replace("{id}", fileId);
    } else if (path.startsWith("/v1/responses/")) {
      path = path.replace("{id}", responseId);
    }
    return path.replace("{id}", UUID.randomUUID().toString());
  }
}
