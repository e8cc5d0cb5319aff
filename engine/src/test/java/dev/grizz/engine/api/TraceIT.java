package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.ApiClient.Reply;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** How an answer was made: its turn's steps, models, tool calls, tokens, cost and times. */
@EngineIT
class TraceIT {

  @LocalServerPort int port;
  ApiClient api;

  @BeforeEach
  void client() {
    api = new ApiClient(port);
  }

  private String toolTurn() {
    try (StreamClients.Sse sse =
        StreamClients.ssePost(
            api, "/api/v1/conversations", "{\"message\":\"What time is it in Tokyo?\"}")) {
      return sse.until(BranchesIT.TURN_ENDED).getFirst().get("conversation_id").asString();
    }
  }

  private Reply trace(String id, String step) {
    return api.get("/api/v1/conversations/" + id + "/steps/" + step + "/trace");
  }

  private static List<String> ids(JsonNode steps) {
    List<String> ids = new ArrayList<>();
    steps.forEach(s -> ids.add(s.get("id").asString()));
    return ids;
  }

  @Test
  void aToolTurnsTraceHasItsAnswersToolCallsTokensAndTimes() {
    String id = toolTurn();
    JsonNode detail = api.get("/api/v1/conversations/" + id).body();
    JsonNode steps = detail.get("steps");
    String question = steps.get(0).get("id").asString();
    String last = steps.get(3).get("id").asString();

    Reply reply = trace(id, last);

    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    JsonNode trace = reply.body();
    assertThat(trace.get("question_step_id").asString()).isEqualTo(question);
    assertThat(ids(trace.get("steps")))
        .containsExactly(
            steps.get(1).get("id").asString(), steps.get(2).get("id").asString(), last);
    JsonNode asked = trace.get("steps").get(0);
    assertThat(asked.get("type").asString()).isEqualTo("llm");
    assertThat(asked.get("model").asString()).isEqualTo("demo");
    assertThat(asked.get("provider").asString()).isEqualTo("demo");
    assertThat(asked.get("fallbacks").isArray()).isTrue();
    assertThat(asked.at("/tool_calls/0/name").asString()).isEqualTo("current_time");
    assertThat(asked.at("/tool_calls/0/status").asString()).isEqualTo("completed");
    assertThat(asked.at("/tool_calls/0/outcome").asString()).isEqualTo("ok");
    assertThat(asked.get("prompt_tokens").asInt()).isPositive();
    assertThat(asked.get("duration_ms").isNumber()).isTrue();
    assertThat(asked.get("ended_at").asString()).isNotBlank();
    JsonNode tool = trace.get("steps").get(1);
    assertThat(tool.get("type").asString()).isEqualTo("tool");
    assertThat(tool.get("tool").asString()).isEqualTo("current_time");
    assertThat(tool.get("outcome").asString()).isEqualTo("ok");
    assertThat(tool.get("duration_ms").isNumber()).isTrue();
    assertThat(trace.get("steps").get(2).get("finish_reason").asString()).isEqualTo("stop");
    int prompts = 0;
    for (JsonNode step : trace.get("steps")) {
      prompts += step.get("prompt_tokens").asInt(0);
    }
    assertThat(trace.get("prompt_tokens").asInt()).isEqualTo(prompts);
    assertThat(trace.get("completion_tokens").asInt()).isPositive();
    assertThat(trace.get("usage_cents").decimalValue()).isNotNull();
    assertThat(trace.get("duration_ms").asLong()).isNotNegative();

    // The tool step's trace is the same version's.
    assertThat(ids(trace(id, steps.get(2).get("id").asString()).body().get("steps")))
        .isEqualTo(ids(trace.get("steps")));
  }

  @Test
  void aVersionsTraceLeavesTheOtherVersionsOut() {
    String id =
        api.post("/api/v1/conversations", "{\"message\":\"hi\"}").body().get("id").asString();
    String v1 = api.awaitAnswered(id).get("steps").get(1).get("id").asString();
    String v2 =
        api.post("/api/v1/conversations/" + id + "/steps/" + v1 + "/regenerate", "{}")
            .body()
            .get("step_id")
            .asString();
    api.awaitAnswered(id);

    assertThat(ids(trace(id, v2).body().get("steps"))).containsExactly(v2);
    assertThat(ids(trace(id, v1).body().get("steps"))).containsExactly(v1);
  }

  @Test
  void refusesAMessageAndAnotherUsersStep() {
    String id =
        api.post("/api/v1/conversations", "{\"message\":\"hi\"}").body().get("id").asString();
    JsonNode steps = api.awaitAnswered(id).get("steps");

    assertThat(trace(id, steps.get(0).get("id").asString()).errorCode()).isEqualTo("invalid_step");
    assertThat(
            new ApiClient(port)
                .get(
                    "/api/v1/conversations/"
                        + id
                        + "/steps/"
                        + steps.get(1).get("id").asString()
                        + "/trace")
                .status())
        .isEqualTo(404);
  }
}
