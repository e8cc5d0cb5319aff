package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineIT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Full-text search over the caller's own chat conversations: titles and message text. */
@EngineIT
class ConversationSearchIT {

  @LocalServerPort int port;
  ApiClient api;

  /** A word no other test writes, so results are this test's own. */
  String word;

  @BeforeEach
  void client() {
    api = new ApiClient(port);
    word = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private String conversationWith(ApiClient client, String message) {
    String id =
        client
            .post("/api/v1/conversations", "{\"message\":" + client.quote(message) + "}")
            .body()
            .get("id")
            .asString();
    client.awaitAnswered(id);
    return id;
  }

  private JsonNode search(ApiClient client, String q) {
    Reply reply =
        client.get(
            "/api/v1/conversations/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    return reply.body().get("items");
  }

  private static List<String> ids(JsonNode items) {
    List<String> ids = new ArrayList<>();
    items.forEach(i -> ids.add(i.get("conversation_id").asString()));
    return ids;
  }

  @Test
  void findsMessagesByTheBeginningOfAWordWithASnippetAndTheStep() {
    String id = conversationWith(api, "Tell me about " + word + "bears in Alaska");

    JsonNode items = search(api, word);

    assertThat(ids(items)).containsExactly(id);
    JsonNode hit = items.get(0);
    assertThat(hit.get("title").asString()).contains(word);
    assertThat(hit.get("snippet").asString()).contains("**" + word + "bears**");
    JsonNode detail = api.get("/api/v1/conversations/" + id).body();
    List<String> steps = new ArrayList<>();
    detail.get("steps").forEach(s -> steps.add(s.get("id").asString()));
    assertThat(steps).contains(hit.get("step_id").asString());
    assertThat(hit.get("updated_at").asString()).isNotBlank();
  }

  @Test
  void findsTitlesAndAnyLanguage() {
    Reply titled = api.post("/api/v1/conversations", "{\"title\":\"Honey " + word + " recipes\"}");
    String byTitle = titled.body().get("id").asString();
    String cyrillic = conversationWith(api, "Привет " + word + " медведь");

    JsonNode title = search(api, "honey " + word);
    assertThat(ids(title)).containsExactly(byTitle);
    assertThat(title.get(0).get("step_id").isNull()).isTrue();
    assertThat(title.get(0).get("snippet").asString()).contains("**Honey**");

    assertThat(ids(search(api, "медведь " + word))).containsExactly(cyrillic);
    assertThat(ids(search(api, word))).containsExactlyInAnyOrder(byTitle, cyrillic);
  }

  @Test
  void aHitOnAnotherBranchCanBeShown() {
    String id = conversationWith(api, "first try " + word);
    Reply edited =
        api.post(
            "/api/v1/conversations/" + id + "/messages",
            "{\"content\":\"second try\",\"parent_step_id\":\"root\"}");
    assertThat(edited.status()).isEqualTo(202);
    api.awaitAnswered(id);

    String step = search(api, "first " + word).get(0).get("step_id").asString();
    assertThat(api.get("/api/v1/conversations/" + id).body().get("active_branch").toString())
        .doesNotContain(step);
    Reply shown = api.patch("/api/v1/conversations/" + id, "{\"active_step_id\":\"" + step + "\"}");
    assertThat(shown.status()).isEqualTo(200);
    assertThat(api.get("/api/v1/conversations/" + id).body().get("active_branch").toString())
        .contains(step);
  }

  @Test
  void neverShowsAnotherUsersConversationsNorResponsesChains() {
    ApiClient other = new ApiClient(port);
    conversationWith(other, "my secret " + word);
    other.post("/v1/responses", "{\"input\":\"also secret " + word + "\",\"model\":\"demo\"}");
    String mine = conversationWith(api, "nothing secret here " + word);

    assertThat(ids(search(api, word))).containsExactly(mine);
    assertThat(ids(search(api, "secret " + word))).containsExactly(mine);
    assertThat(search(other, word)).hasSize(1);
  }

  @Test
  void oddQueriesAreAnsweredAndBadOnesRefused() {
    conversationWith(api, "it's " + word);
    for (String q : List.of("it's " + word, "!&|:*()'\\", word + ":*", "'", "\"" + word + "\"")) {
      search(api, q);
    }
    assertThat(search(api, "!&|:*()")).isEmpty();
    assertThat(api.get("/api/v1/conversations/search?q=").errorCode()).isEqualTo("invalid_query");
    assertThat(api.get("/api/v1/conversations/search").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/conversations/search?q=x&limit=0").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/conversations/search?q=" + "x".repeat(201)).errorCode())
        .isEqualTo("invalid_query");
  }
}
