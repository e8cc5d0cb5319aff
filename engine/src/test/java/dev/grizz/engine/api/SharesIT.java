package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineIT;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A conversation shared by link: a snapshot anyone with the link reads, until it is revoked. */
@EngineIT
class SharesIT {

  @LocalServerPort int port;
  ApiClient api;
  ApiClient anyone;

  @BeforeEach
  void client() {
    api = new ApiClient(port);
    anyone = ApiClient.unauthenticated(port);
  }

  private String conversation(String message) {
    String id =
        api.post("/api/v1/conversations", "{\"message\":" + api.quote(message) + "}")
            .body()
            .get("id")
            .asString();
    api.awaitAnswered(id);
    return id;
  }

  private JsonNode share(String id) {
    Reply shared = api.post("/api/v1/conversations/" + id + "/shares", "");
    assertThat(shared.status()).as(shared.raw()).isEqualTo(201);
    return shared.body();
  }

  @Test
  void anyoneWithTheLinkReadsTheSnapshotOfTheBranchAndNothingElse() {
    String id = conversation("Where do grizzlies sleep?");
    String v1 =
        api.get("/api/v1/conversations/" + id).body().get("steps").get(1).get("id").asString();
    api.post("/api/v1/conversations/" + id + "/steps/" + v1 + "/regenerate", "{}");
    api.awaitAnswered(id);
    JsonNode share = share(id);
    String token = share.get("token").asString();
    assertThat(token).hasSizeGreaterThanOrEqualTo(43);
    assertThat(share.get("url").asString()).isEqualTo("/api/v1/shared/" + token);
    assertThat(share.get("conversation_id").asString()).isEqualTo(id);

    // The owner goes on after sharing: the snapshot does not.
    api.post("/api/v1/conversations/" + id + "/messages", "{\"content\":\"after sharing\"}");
    api.awaitAnswered(id);

    Reply read = anyone.get(share.get("url").asString());
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("Cache-Control")).isEqualTo("no-store");
    JsonNode snapshot = read.body();
    assertThat(snapshot.get("title").asString()).isEqualTo("Where do grizzlies sleep?");
    assertThat(snapshot.get("shared_at").asString()).isNotBlank();
    List<String> roles = new ArrayList<>();
    snapshot.get("messages").forEach(m -> roles.add(m.get("role").asString()));
    assertThat(roles).containsExactly("user", "assistant");
    assertThat(snapshot.get("messages").get(0).get("content").asString())
        .isEqualTo("Where do grizzlies sleep?");
    List<String> fields = new ArrayList<>(snapshot.propertyNames());
    assertThat(fields).containsExactlyInAnyOrder("title", "shared_at", "messages");
    String raw = read.raw();
    assertThat(raw)
        .doesNotContain(api.userId().toString())
        .doesNotContain(id)
        .doesNotContain(v1)
        .doesNotContain("usage_cents")
        .doesNotContain("after sharing");
  }

  @Test
  void sharesAreListedAndRevoked() {
    String id = conversation("hello");
    JsonNode first = share(id);
    JsonNode second = share(id);
    assertThat(second.get("token").asString()).isNotEqualTo(first.get("token").asString());

    JsonNode listed = api.get("/api/v1/conversations/" + id + "/shares").body().get("items");
    assertThat(listed).hasSize(2);
    assertThat(listed.get(0).get("id").asString()).isEqualTo(first.get("id").asString());

    Reply revoked =
        api.delete("/api/v1/conversations/" + id + "/shares/" + first.get("id").asString());
    assertThat(revoked.status()).isEqualTo(204);
    assertThat(anyone.get(first.get("url").asString()).status()).isEqualTo(404);
    assertThat(anyone.get(second.get("url").asString()).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/conversations/" + id + "/shares").body().get("items")).hasSize(1);
    assertThat(
            api.delete("/api/v1/conversations/" + id + "/shares/" + first.get("id").asString())
                .status())
        .isEqualTo(404);
  }

  @Test
  void onlyTheOwnerSharesListsOrRevokes() {
    String id = conversation("mine");
    JsonNode share = share(id);
    ApiClient other = new ApiClient(port);

    assertThat(other.post("/api/v1/conversations/" + id + "/shares", "").status()).isEqualTo(404);
    assertThat(other.get("/api/v1/conversations/" + id + "/shares").status()).isEqualTo(404);
    assertThat(
            other
                .delete("/api/v1/conversations/" + id + "/shares/" + share.get("id").asString())
                .status())
        .isEqualTo(404);
    assertThat(anyone.get(share.get("url").asString()).status()).isEqualTo(200);
  }

  @Test
  void deletingTheConversationEndsItsShares() {
    String id = conversation("short-lived");
    JsonNode share = share(id);

    api.delete("/api/v1/conversations/" + id);

    assertThat(anyone.get(share.get("url").asString()).status()).isEqualTo(404);
    assertThat(anyone.get("/api/v1/shared/" + UUID.randomUUID()).errorCode())
        .isEqualTo("not_found");
    assertThat(anyone.get("/api/v1/shared/" + "x".repeat(500)).status()).isEqualTo(404);
  }
}
