package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A user's message may hold images (links or inline data): they are stored with it, shown with it,
 * and sent to the model with the text; what is not an image, or too many, is refused.
 */
@EngineIT
class MessageImagesIT {

  /** A 1×1 transparent PNG. */
  static final String PIXEL =
      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

  @LocalServerPort int port;
  ApiClient api;

  @BeforeEach
  void client() {
    api = new ApiClient(port);
  }

  private static JsonNode last(JsonNode array) {
    return array.get(array.size() - 1);
  }

  @Test
  void imagesAreStoredShownAndSentToTheModel() {
    Reply created =
        api.post(
            "/api/v1/conversations",
            "{\"message\":\"what is in these pictures\",\"images\":[\""
                + PIXEL
                + "\",\"https://example.com/bear.jpg\"]}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("id").asString();

    JsonNode conversation = api.awaitAnswered(id);

    JsonNode user = conversation.get("messages").get(0);
    assertThat(user.get("images").get(0).asString()).isEqualTo(PIXEL);
    assertThat(user.get("images").get(1).asString()).isEqualTo("https://example.com/bear.jpg");
    assertThat(user.get("token_count").asInt()).isGreaterThan(2 * 765);
    JsonNode answer = last(conversation.get("messages"));
    assertThat(answer.get("content").asString()).endsWith("You sent 2 images.");
    assertThat(answer.has("images")).isFalse();

    Reply more =
        api.post(
            "/api/v1/conversations/" + id + "/messages",
            "{\"content\":\"and this one\",\"images\":[\"" + PIXEL + "\"]}");
    assertThat(more.status()).isEqualTo(202);
    JsonNode after = api.awaitAnswered(id);
    assertThat(last(after.get("messages")).get("content").asString()).endsWith("You sent 1 image.");
  }

  @Test
  void whatIsNotAnImageOrTooManyIsRefused() {
    String id = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    String path = "/api/v1/conversations/" + id + "/messages";

    Reply local = api.post(path, "{\"content\":\"x\",\"images\":[\"file:///etc/passwd\"]}");
    assertThat(local.status()).isEqualTo(400);
    assertThat(local.errorCode()).isEqualTo("invalid_value");
    assertThat(local.raw()).contains("images");

    Reply svg =
        api.post(path, "{\"content\":\"x\",\"images\":[\"data:image/svg+xml;base64,PHN2Zz4=\"]}");
    assertThat(svg.status()).isEqualTo(400);
    assertThat(svg.raw()).contains("svg");

    String five = ("\"" + PIXEL + "\",").repeat(5);
    Reply many =
        api.post(
            path, "{\"content\":\"x\",\"images\":[" + five.substring(0, five.length() - 1) + "]}");
    assertThat(many.status()).isEqualTo(400);
    assertThat(many.raw()).contains("at most 4");
    assertThat(api.get("/api/v1/conversations/" + id).body().get("messages").size()).isZero();
  }
}
