package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineIT;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A ChatGPT data export's conversations.json imported as it is: the tree kept (branches as
 * versions, the shown branch the export's current node), times kept, what has no place counted, and
 * a malformed export refused whole with a stable code.
 */
@EngineIT
class ChatGptImportIT {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  ApiClient api;

  @BeforeEach
  void client() {
    api = new ApiClient(port);
  }

  private static String fixture() throws IOException {
    try (InputStream in =
        ChatGptImportIT.class.getResourceAsStream("/imports/chatgpt-conversations.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Reply importExport(String body) {
    return api.post("/api/v1/conversations/import", body);
  }

  /** Each step's message text by step id, and the step ids by that text. */
  private static Map<String, String> stepsByText(JsonNode detail) {
    Map<String, String> byText = new HashMap<>();
    detail
        .get("messages")
        .forEach(m -> byText.put(m.get("content").asString(), m.get("step_id").asString()));
    return byText;
  }

  private static JsonNode step(JsonNode detail, String id) {
    for (JsonNode s : detail.get("steps")) {
      if (s.get("id").asString().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no step " + id);
  }

  @Test
  void importsTheTreeWithBranchesTimesAndTheShownBranchAndCountsWhatItSkipped() throws IOException {
    Reply reply = importExport(fixture());

    assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
    JsonNode made = reply.body().get("conversations");
    assertThat(made).hasSize(2);
    assertThat(made.get(0).get("title").asString()).isEqualTo("Trip to Lisbon");
    assertThat(made.get(0).get("messages").asInt()).isEqualTo(7);
    assertThat(made.get(1).get("title").asString()).isEqualTo("Imported conversation");
    assertThat(made.get(1).get("messages").asInt()).isEqualTo(2);
    JsonNode skipped = reply.body().get("skipped");
    assertThat(skipped.get("system_messages").asInt()).isEqualTo(2);
    assertThat(skipped.get("tool_messages").asInt()).isEqualTo(1);
    assertThat(skipped.get("non_text_messages").asInt())
        .as("code to the browser, hidden context")
        .isEqualTo(2);
    assertThat(skipped.get("non_text_parts").asInt()).as("the image sent").isEqualTo(1);
    assertThat(skipped.get("empty_messages").asInt()).isEqualTo(1);
    assertThat(skipped.get("empty_conversations").asInt()).isEqualTo(1);
    assertThat(skipped.get("other_role_messages").asInt()).isZero();

    String lisbon = made.get(0).get("id").asString();
    JsonNode detail = api.get("/api/v1/conversations/" + lisbon).body();
    assertThat(detail.get("title").asString()).isEqualTo("Trip to Lisbon");
    assertThat(detail.get("created_at").asString()).isEqualTo("2023-11-14T22:13:20.500Z");
    Map<String, String> steps = stepsByText(detail);
    assertThat(steps).hasSize(7);
    String u1 = steps.get("What should I see in Lisbon?");
    String a1 = steps.get("Belém Tower and Alfama.");
    String a1b = steps.get("Try the trams and Sintra.");
    String u2 = steps.get("What is this building?");
    String a2 = steps.get("That is the Jerónimos Monastery.");
    String u2b = steps.get("And food?");
    String a2b = steps.get("Pastéis de nata, **warm**.");
    // The regenerated answer is a version of the first; the skipped code and tool nodes leave the
    // answer after them under the question.
    assertThat(step(detail, u1).get("parent_step_id").isNull()).isTrue();
    assertThat(step(detail, a1).get("parent_step_id").asString()).isEqualTo(u1);
    assertThat(step(detail, a1b).get("sibling_ids").toString()).contains(a1, a1b);
    assertThat(step(detail, a2).get("parent_step_id").asString()).isEqualTo(u2);
    assertThat(step(detail, u2b).get("parent_step_id").asString()).isEqualTo(a1b);
    assertThat(step(detail, a2b).get("model").asString()).isEqualTo("gpt-4o-mini");
    assertThat(step(detail, a2b).get("status").asString()).isEqualTo("completed");
    assertThat(step(detail, a2b).get("type").asString()).isEqualTo("llm");
    List<String> branch = new ArrayList<>();
    detail.get("active_branch").forEach(s -> branch.add(s.asString()));
    assertThat(branch).containsExactly(u1, a1b, u2b, a2b);
    assertThat(detail.get("active_step_id").asString()).isEqualTo(a2b);
    for (JsonNode m : detail.get("messages")) {
      if (m.get("step_id").asString().equals(u1)) {
        assertThat(m.get("created_at").asString()).isEqualTo("2023-11-14T22:13:30.125Z");
        assertThat(m.get("role").asString()).isEqualTo("user");
      }
    }
    assertThat(
            jdbc.sql("select imported_from from tasks where id = :id")
                .param("id", UUID.fromString(lisbon))
                .query(String.class)
                .single())
        .isEqualTo("chatgpt");

    // Listed, searchable and continued like any conversation: the next turn follows the shown
    // branch.
    JsonNode list = api.get("/api/v1/conversations?limit=50").body().get("items");
    assertThat(list.toString()).contains(lisbon);
    assertThat(api.get("/api/v1/conversations/search?q=Jer%C3%B3nimos").body().toString())
        .contains(lisbon);
    Reply posted =
        api.post("/api/v1/conversations/" + lisbon + "/messages", "{\"content\":\"Thanks!\"}");
    assertThat(posted.status()).as(posted.raw()).isEqualTo(202);
    JsonNode answered = api.awaitAnswered(lisbon);
    String input = posted.body().get("user_step_id").asString();
    assertThat(step(answered, input).get("parent_step_id").asString()).isEqualTo(a2b);

    // Without times, the messages follow the conversation's; without current_node, the last shown.
    JsonNode untitled = api.get("/api/v1/conversations/" + made.get(1).get("id").asString()).body();
    assertThat(untitled.get("messages").get(1).get("content").asString()).isEqualTo("Hello!");
    assertThat(untitled.get("active_step_id").asString())
        .isEqualTo(untitled.get("messages").get(1).get("step_id").asString());
  }

  @Test
  void refusesWhatIsNotAnExportWithStableCodesAndImportsNothing() {
    int before = api.get("/api/v1/conversations?limit=100").body().get("items").size();

    Reply malformed = importExport("[{\"title\": \"cut");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.errorCode()).isEqualTo("malformed_json");

    Reply object = importExport("{\"title\":\"not a list\"}");
    assertThat(object.status()).isEqualTo(400);
    assertThat(object.errorCode()).isEqualTo("invalid_export");

    // The first conversation is fine, the second has no mapping: neither is stored.
    Reply half =
        importExport(
            """
            [{"title":"fine","mapping":{"u":{"message":{"author":{"role":"user"},
              "content":{"content_type":"text","parts":["hi"]}},"parent":null,"children":[]}}},
             {"title":"broken"}]""");
    assertThat(half.status()).isEqualTo(400);
    assertThat(half.errorCode()).isEqualTo("invalid_export");
    assertThat(half.body().path("error").path("message").asString()).contains("conversation 1");

    Reply text = api.send("/api/v1/conversations/import", "POST", "[]", "text/plain");
    assertThat(text.status()).isEqualTo(415);

    assertThat(api.get("/api/v1/conversations?limit=100").body().get("items").size())
        .isEqualTo(before);
  }

  @Test
  void refusesAnExportOverItsLimitWith413() {
    // EngineIT sets grizz.web.max-import-bytes to 2 MiB; the usual body limit is 1 MiB.
    String padding = "x".repeat(1_500_000);
    Reply underImportLimit = importExport("[{\"title\":\"" + padding + "\",\"mapping\":{}}]");
    assertThat(underImportLimit.status())
        .as("over the body limit, under the import limit")
        .isEqualTo(201);
    Reply over = importExport("[{\"title\":\"" + "x".repeat(2_200_000) + "\",\"mapping\":{}}]");
    assertThat(over.status()).isEqualTo(413);
    assertThat(over.errorCode()).isEqualTo("payload_too_large");
  }
}
