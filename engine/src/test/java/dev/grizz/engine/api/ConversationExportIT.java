package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A conversation's shown branch exported as Markdown or JSON, as a download. */
@EngineIT
class ConversationExportIT {

  @LocalServerPort int port;
  ApiClient api;

  @BeforeEach
  void client() {
    api = new ApiClient(port);
  }

  /** A conversation whose one answer was regenerated: two versions, the second shown. */
  private String[] regenerated() {
    String id =
        api.post(
                "/api/v1/conversations", "{\"title\":\"Bears\",\"message\":\"What do bears eat?\"}")
            .body()
            .get("id")
            .asString();
    JsonNode first = api.awaitAnswered(id);
    String v1 = first.get("steps").get(1).get("id").asString();
    String v2 =
        api.post("/api/v1/conversations/" + id + "/steps/" + v1 + "/regenerate", "{}")
            .body()
            .get("step_id")
            .asString();
    api.awaitAnswered(id);
    return new String[] {id, v1, v2};
  }

  @Test
  void exportsTheShownBranchAsMarkdown() {
    String[] made = regenerated();

    Reply export = api.get("/api/v1/conversations/" + made[0] + "/export?format=markdown");

    assertThat(export.status()).isEqualTo(200);
    assertThat(export.header("Content-Type")).startsWith("text/markdown");
    assertThat(export.header("Content-Disposition"))
        .startsWith("attachment")
        .contains("conversation-" + made[0] + ".md");
    String md = export.raw();
    assertThat(md).startsWith("# Bears\n").contains("## User\n\nWhat do bears eat?");
    assertThat(md.split("## Assistant", -1)).as("one version: the one shown").hasSize(2);
    // Markdown is the default.
    assertThat(api.get("/api/v1/conversations/" + made[0] + "/export").raw()).isEqualTo(md);
  }

  @Test
  void exportsTheShownBranchAsJson() {
    String[] made = regenerated();

    Reply export = api.get("/api/v1/conversations/" + made[0] + "/export?format=json");

    assertThat(export.status()).isEqualTo(200);
    assertThat(export.header("Content-Disposition")).contains("conversation-" + made[0] + ".json");
    JsonNode body = export.body();
    assertThat(body.get("id").asString()).isEqualTo(made[0]);
    assertThat(body.get("title").asString()).isEqualTo("Bears");
    assertThat(body.get("active_step_id").asString()).isEqualTo(made[2]);
    assertThat(body.get("steps").size()).isEqualTo(2);
    assertThat(body.get("steps").get(1).get("id").asString()).isEqualTo(made[2]);
    assertThat(body.get("messages").size()).isEqualTo(2);
    assertThat(body.get("messages").get(1).get("step_id").asString()).isEqualTo(made[2]);
  }

  @Test
  void summarisesToolCallsInMarkdown() {
    String id;
    try (StreamClients.Sse sse =
        StreamClients.ssePost(
            api, "/api/v1/conversations", "{\"message\":\"What time is it in Tokyo?\"}")) {
      id = sse.until(BranchesIT.TURN_ENDED).getFirst().get("conversation_id").asString();
    }

    String md = api.get("/api/v1/conversations/" + id + "/export").raw();

    assertThat(md)
        .contains("> **Tool call** `current_time` {\"timezone\":\"Asia/Tokyo\"}")
        .contains("> **Tool result** `current_time` (ok): ")
        .contains("## Assistant\n\nIn Asia/Tokyo it is ");
  }

  @Test
  void refusesAnUnknownFormatAndAnotherUsersConversation() {
    String id = api.post("/api/v1/conversations", "{}").body().get("id").asString();

    Reply bad = api.get("/api/v1/conversations/" + id + "/export?format=pdf");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorCode()).isEqualTo("invalid_format");
    assertThat(new ApiClient(port).get("/api/v1/conversations/" + id + "/export").status())
        .isEqualTo(404);
    Reply empty = api.get("/api/v1/conversations/" + id + "/export?format=json");
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.body().get("messages").size()).isZero();
  }
}
