package dev.grizz.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Every route and transport that names a conversation, as its owner, as another user and with an id
 * that does not exist: the owner gets through, the other two get the same 404.
 */
@EngineIT
class OwnershipIT {

  @LocalServerPort int port;

  record Outcome(String route, String who, int status) {}

  @Test
  void onlyTheOwnerReachesAConversationOverEveryRouteAndTransport() {
    ApiClient owner = new ApiClient(port);
    ApiClient stranger = new ApiClient(port);
    JsonNode created = owner.post("/api/v1/conversations", "{\"message\":\"mine\"}").body();
    String mine = created.get("id").asString();
    owner.awaitAnswered(mine);
    String step =
        owner.get("/api/v1/conversations/" + mine).body().get("steps").get(1).get("id").asString();
    String unknown = UUID.randomUUID().toString();

    Map<String, BiFunction<ApiClient, String, Integer>> routes = new java.util.LinkedHashMap<>();
    routes.put("GET conversation", (api, id) -> api.get("/api/v1/conversations/" + id).status());
    routes.put(
        "PATCH conversation",
        (api, id) -> api.patch("/api/v1/conversations/" + id, "{\"title\":\"renamed\"}").status());
    routes.put(
        "POST message",
        (api, id) ->
            api.post("/api/v1/conversations/" + id + "/messages", "{\"content\":\"hi\"}").status());
    routes.put(
        "POST cancel",
        (api, id) ->
            api.post("/api/v1/conversations/" + id + "/steps/" + step + "/cancel", "").status());
    routes.put(
        "long-poll events",
        (api, id) -> api.get("/api/v1/conversations/" + id + "/events?wait=0s").status());
    routes.put(
        "SSE events",
        (api, id) -> {
          try (StreamClients.Sse sse =
              StreamClients.sse(
                  api,
                  "/api/v1/conversations/" + id + "/events?after=99999999999999-0",
                  Map.of())) {
            return sse.status;
          }
        });
    routes.put("WebSocket", OwnershipIT::socketStatus);
    routes.put(
        "OpenAI-compatible with conversation header",
        (api, id) ->
            api.send(
                    "/v1/chat/completions",
                    "POST",
                    "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    "application/json",
                    Map.of("X-Grizz-Conversation-Id", id))
                .status());

    List<Outcome> outcomes = new ArrayList<>();
    routes.forEach(
        (route, call) -> {
          outcomes.add(new Outcome(route, "stranger", call.apply(stranger, mine)));
          outcomes.add(new Outcome(route, "unknown", call.apply(owner, unknown)));
          outcomes.add(new Outcome(route, "owner", call.apply(owner, mine)));
          owner.awaitAnswered(mine);
        });
    outcomes.add(
        new Outcome(
            "DELETE conversation",
            "stranger",
            stranger.delete("/api/v1/conversations/" + mine).status()));
    outcomes.add(
        new Outcome(
            "DELETE conversation",
            "unknown",
            owner.delete("/api/v1/conversations/" + unknown).status()));
    boolean listedForStranger = stranger.get("/api/v1/conversations").raw().contains(mine);
    outcomes.add(
        new Outcome(
            "DELETE conversation",
            "owner",
            owner.delete("/api/v1/conversations/" + mine).status()));

    for (Outcome outcome : outcomes) {
      if (outcome.who().equals("owner")) {
        assertThat(outcome.status()).as(outcome.toString()).isBetween(200, 299);
      } else {
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(404);
      }
    }
    assertThat(listedForStranger).isFalse();
  }

  /** 200 when the socket follows the conversation (answers a ping), 404 for a not_found error. */
  private static int socketStatus(ApiClient api, String conversation) {
    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
    try {
      try {
        ws.sendJson(Map.of("type", "ping"));
      } catch (org.java_websocket.exceptions.WebsocketNotConnectedException closedAlready) {
        // A refused socket sends its error frame and closes; the frame is queued.
      }
      JsonNode frame;
      do {
        frame = ws.next();
      } while (!frame.path("type").asString().equals("pong")
          && !frame.path("type").asString().equals("error"));
      if (frame.path("type").asString().equals("error")) {
        return frame.at("/data/code").asString().equals("not_found") ? 404 : 500;
      }
      return 200;
    } finally {
      try {
        ws.closeBlocking();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
