package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineIT;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A conversation's own settings (model, system prompt, temperature, output limit): stored with it,
 * shown with it, applied to each answer, and checked when set, not when an answer later fails.
 */
@EngineIT
class ConversationSettingsIT {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  ApiClient api;

  @BeforeEach
  void client() {
    api = new ApiClient(port);
  }

  private static JsonNode lastStep(JsonNode conversation) {
    JsonNode steps = conversation.get("steps");
    return steps.get(steps.size() - 1);
  }

  @Test
  void settingsAreStoredShownAndAppliedToEachAnswer() {
    Reply created =
        api.post(
            "/api/v1/conversations",
            "{\"message\":\"tell me about bears in the far north please\","
                + "\"settings\":{\"model\":\"demo\",\"system_prompt\":\"You are a terse ranger.\","
                + "\"temperature\":0.3,\"max_tokens\":5}}");
    assertThat(created.status()).isEqualTo(201);
    JsonNode settings = created.body().get("settings");
    assertThat(settings.get("model").asString()).isEqualTo("demo");
    assertThat(settings.get("system_prompt").asString()).isEqualTo("You are a terse ranger.");
    assertThat(settings.get("temperature").asDouble()).isEqualTo(0.3);
    assertThat(settings.get("max_tokens").asInt()).isEqualTo(5);
    String id = created.body().get("id").asString();

    JsonNode step = lastStep(api.awaitAnswered(id));

    assertThat(step.get("status").asString()).isEqualTo("completed");
    assertThat(step.get("metadata").get("finish_reason").asString()).isEqualTo("length");
    assertThat(step.get("metadata").get("temperature").asDouble()).isEqualTo(0.3);
    assertThat(step.get("metadata").get("max_output_tokens").asInt()).isEqualTo(5);
    assertThat(step.get("completion_tokens").asInt()).isBetween(1, 5);
    String template =
        jdbc.sql(
                "select p.template from steps s join prompts p on p.hash = s.prompt_hash"
                    + " where s.id = :id")
            .param("id", UUID.fromString(step.get("id").asString()))
            .query(String.class)
            .single();
    assertThat(template).startsWith("You are a terse ranger.");
    assertThat(
            api.get("/api/v1/conversations/" + id).body().get("settings").get("max_tokens").asInt())
        .isEqualTo(5);
  }

  @Test
  void aPatchReplacesTheSettingsAndATitleAloneKeepsThem() {
    String id =
        api.post("/api/v1/conversations", "{\"settings\":{\"temperature\":1.5}}")
            .body()
            .get("id")
            .asString();

    Reply renamed = api.patch("/api/v1/conversations/" + id, "{\"title\":\"Bears\"}");
    assertThat(renamed.body().get("settings").get("temperature").asDouble()).isEqualTo(1.5);

    Reply replaced = api.patch("/api/v1/conversations/" + id, "{\"settings\":{\"max_tokens\":40}}");
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.body().get("settings").has("temperature")).isFalse();
    assertThat(replaced.body().get("settings").get("max_tokens").asInt()).isEqualTo(40);
    assertThat(replaced.body().get("title").asString()).isEqualTo("Bears");

    Reply cleared = api.patch("/api/v1/conversations/" + id, "{\"settings\":{}}");
    assertThat(cleared.body().get("settings").isEmpty()).isTrue();

    api.post("/api/v1/conversations/" + id + "/messages", "{\"content\":\"hello there\"}");
    JsonNode step = lastStep(api.awaitAnswered(id));
    assertThat(step.get("metadata").get("finish_reason").asString()).isEqualTo("stop");
    assertThat(step.get("metadata").has("temperature")).isFalse();
  }

  @Test
  void settingsOutOfRangeOrForAnUnknownModelAreRefusedWhenSet() {
    String id = api.post("/api/v1/conversations", "{}").body().get("id").asString();

    Reply hot = api.patch("/api/v1/conversations/" + id, "{\"settings\":{\"temperature\":5}}");
    assertThat(hot.status()).isEqualTo(400);
    assertThat(hot.errorCode()).isEqualTo("invalid_value");
    assertThat(hot.raw()).contains("settings.temperature");

    Reply negative = api.post("/api/v1/conversations", "{\"settings\":{\"max_tokens\":-5}}");
    assertThat(negative.status()).isEqualTo(400);
    assertThat(negative.raw()).contains("settings.max_tokens");

    Reply unknown =
        api.patch("/api/v1/conversations/" + id, "{\"settings\":{\"model\":\"no-such-model\"}}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.errorCode()).isEqualTo("unknown_model");

    Reply nothing = api.patch("/api/v1/conversations/" + id, "{}");
    assertThat(nothing.status()).isEqualTo(400);
    assertThat(nothing.errorCode()).isEqualTo("nothing_to_update");
    assertThat(api.get("/api/v1/conversations/" + id).body().get("settings").isEmpty()).isTrue();
  }
}
