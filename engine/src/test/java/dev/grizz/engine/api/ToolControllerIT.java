package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineIT;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/tools}: the built-ins with their schemas and limits, to signed-in callers. */
@EngineIT
class ToolControllerIT {

  @LocalServerPort int port;

  private static JsonNode named(JsonNode tools, String name) {
    for (JsonNode tool : tools) {
      if (tool.get("name").asString().equals(name)) {
        return tool;
      }
    }
    throw new AssertionError("no tool named " + name + " in " + tools);
  }

  @Test
  void listsTheBuiltInsWithTheirSchemasAndLimits() {
    Reply reply = new ApiClient(port).get("/api/v1/tools");

    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    JsonNode tools = reply.body().get("tools");
    List<String> names = new ArrayList<>();
    tools.forEach(tool -> names.add(tool.get("name").asString()));
    assertThat(names).contains("current_time", "fetch_url").doesNotHaveDuplicates();

    JsonNode fetch = named(tools, "fetch_url");
    assertThat(fetch.get("source").asString()).isEqualTo("builtin");
    assertThat(fetch.get("description").asString()).contains("GET");
    assertThat(fetch.get("parameters").get("type").asString()).isEqualTo("object");
    assertThat(fetch.get("parameters").get("required").get(0).asString()).isEqualTo("url");
    assertThat(fetch.get("parameters").get("properties").get("url").get("type").asString())
        .isEqualTo("string");
    assertThat(fetch.get("timeout_ms").asLong()).isEqualTo(22_000);
    assertThat(fetch.get("max_result_chars").asInt()).isEqualTo(16_000);
    assertThat(fetch.get("idempotent").asBoolean()).isTrue();
    assertThat(fetch.get("needs_approval").asBoolean()).isFalse();

    JsonNode time = named(tools, "current_time");
    assertThat(time.get("parameters").get("properties").has("timezone")).isTrue();
    assertThat(time.get("timeout_ms").asLong()).isEqualTo(5_000);
    assertThat(time.get("idempotent").asBoolean()).isTrue();
    assertThat(time.propertyNames())
        .containsExactlyInAnyOrder(
            "name",
            "description",
            "parameters",
            "source",
            "timeout_ms",
            "max_result_chars",
            "idempotent",
            "needs_approval");
  }

  @Test
  void anUnauthenticatedCallerIsRefused() {
    Reply reply = ApiClient.unauthenticated(port).get("/api/v1/tools");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.errorCode()).isEqualTo("unauthenticated");
  }
}
